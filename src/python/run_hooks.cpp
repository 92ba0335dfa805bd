#include "python/run_hooks.hpp"

#include <string>

#include "core/log.hpp"
#include "python/native_module.hpp"

namespace hornet::python {
namespace {

void log_listener_error(const char* what) {
  std::string traceback;
  const std::string message = take_error(&traceback);
  log::error(std::string(what) + " failed: " + message +
             (traceback.empty() ? std::string() : "\n" + traceback));
}

Ref snapshot_dict(const core::RunSnapshot& s) {
  Ref percentiles = Ref::steal(PyDict_New());
  for (const auto& [fraction, ms] : s.percentiles) {
    Ref key = Ref::steal(PyFloat_FromDouble(fraction));
    Ref value = Ref::steal(PyFloat_FromDouble(ms));
    PyDict_SetItem(percentiles.get(), key.get(), value.get());
  }
  return Ref::steal(Py_BuildValue(
      "{s:s,s:i,s:L,s:L,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:O}", "state", s.state.c_str(),
      "user_count", s.user_count, "num_requests", s.num_requests, "num_failures", s.num_failures,
      "avg_response_time", s.avg_response_time, "min_response_time", s.min_response_time,
      "max_response_time", s.max_response_time, "median_response_time",
      s.median_response_time, "avg_content_length", s.avg_content_length, "current_rps",
      s.current_rps, "current_fail_per_sec", s.current_fail_per_sec, "total_rps", s.total_rps,
      "fail_ratio", s.fail_ratio, "percentiles", percentiles.get()));
}

class PythonRunHooks final : public core::RunHooks {
 public:
  explicit PythonRunHooks(PyObject* runtime) : runtime_(runtime) {}

  void attach(core::RunControl control) override {
    set_run_control(std::move(control.quit), std::move(control.stop));
  }

  void update_options(const std::map<std::string, std::string>& values) override {
    Gil gil;
    Ref dict = Ref::steal(PyDict_New());
    for (const auto& [dest, value] : values) {
      Ref text = make_str(value);
      PyDict_SetItemString(dict.get(), dest.c_str(), text.get());
    }
    Ref result = Ref::steal(PyObject_CallMethod(runtime_, "update_options", "O", dict.get()));
    if (!result) log_listener_error("setting the start form's options");
  }
  void test_start() override { fire("test_start", nullptr); }
  void test_stop() override { fire("test_stop", nullptr); }
  void spawning_complete(int user_count) override {
    Gil gil;
    Ref kwargs = Ref::steal(Py_BuildValue("{s:i}", "user_count", user_count));
    fire_locked("spawning_complete", kwargs.get());
  }
  void update(const core::RunSnapshot& snapshot) override {
    Gil gil;
    push(snapshot);
  }
  std::optional<int> quitting(const core::RunSnapshot& snapshot) override {
    Gil gil;
    push(snapshot);
    fire_locked("quitting", nullptr);
    Ref code = Ref::steal(PyObject_CallMethod(runtime_, "exit_code", nullptr));
    if (!code) {
      log_listener_error("environment.process_exit_code");
      return std::nullopt;
    }
    if (code.get() == Py_None) return std::nullopt;
    const long value = PyLong_AsLong(code.get());
    if (value == -1 && PyErr_Occurred()) {
      log_listener_error("environment.process_exit_code");
      return std::nullopt;
    }
    return static_cast<int>(value);
  }

 private:
  void fire(const char* event, PyObject* kwargs) {
    Gil gil;
    fire_locked(event, kwargs);
  }
  void fire_locked(const char* event, PyObject* kwargs) {
    Ref empty;
    if (kwargs == nullptr) {
      empty = Ref::steal(PyDict_New());
      kwargs = empty.get();
    }
    Ref result = Ref::steal(PyObject_CallMethod(runtime_, "fire", "sO", event, kwargs));
    if (!result) log_listener_error((std::string("events.") + event).c_str());
  }
  void push(const core::RunSnapshot& snapshot) {
    Ref dict = snapshot_dict(snapshot);
    Ref result = dict ? Ref::steal(PyObject_CallMethod(runtime_, "update", "O", dict.get()))
                      : Ref();
    if (!result) log_listener_error("the statistics update");
  }

  PyObject* runtime_;
};

class PythonLoadShape final : public core::LoadShape {
 public:
  PythonLoadShape(PyObject* runtime, Ref shape) : runtime_(runtime), shape_(std::move(shape)) {}
  ~PythonLoadShape() override {
    Gil gil;
    shape_ = Ref();
  }

  std::optional<core::ShapeStage> tick(double) override {
    Gil gil;
    Ref result = Ref::steal(PyObject_CallMethod(runtime_, "shape_tick", "O", shape_.get()));
    if (!result) {
      log_listener_error("LoadTestShape.tick()");
      return std::nullopt;  // Locust's shape worker dies with it: the test stops
    }
    if (result.get() == Py_None) return std::nullopt;
    core::ShapeStage stage;
    PyObject* users = nullptr;
    PyObject* rate = nullptr;
    PyObject* classes = nullptr;
    if (!PyArg_ParseTuple(result.get(), "OO|O", &users, &rate, &classes)) {
      log_listener_error("LoadTestShape.tick() (it must return None or (users, spawn_rate[, "
                         "user_classes]))");
      return std::nullopt;
    }
    stage.users = static_cast<int>(PyLong_AsLong(users));
    stage.spawn_rate = PyFloat_AsDouble(rate);
    if (PyErr_Occurred()) {
      log_listener_error("LoadTestShape.tick() (users must be an int, spawn_rate a number)");
      return std::nullopt;
    }
    if (classes != nullptr && classes != Py_None) {
      Ref iterator = Ref::steal(PyObject_GetIter(classes));
      while (iterator) {
        Ref item = Ref::steal(PyIter_Next(iterator.get()));
        if (!item) break;
        Ref name = Ref::steal(PyObject_GetAttrString(item.get(), "__name__"));
        if (!name) PyErr_Clear();
        stage.user_classes.push_back(to_string(name ? name.get() : item.get()));
      }
      PyErr_Clear();
    }
    return stage;
  }

  void reset() override {
    Gil gil;
    Ref result = Ref::steal(PyObject_CallMethod(shape_.get(), "reset_time", nullptr));
    if (!result) log_listener_error("LoadTestShape.reset_time()");
  }

 private:
  PyObject* runtime_;
  Ref shape_;
};

}  // namespace

std::shared_ptr<core::RunHooks> make_run_hooks(PyObject* runtime) {
  return std::make_shared<PythonRunHooks>(runtime);
}

std::shared_ptr<core::LoadShape> make_load_shape(PyObject* runtime, Ref shape) {
  return std::make_shared<PythonLoadShape>(runtime, std::move(shape));
}

}  // namespace hornet::python
