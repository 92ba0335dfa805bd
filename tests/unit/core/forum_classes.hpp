// User classes shared by scenario_test.cpp and task_ratio_test.cpp: the C++ twins of the Python
// classes in gen_scenario_vectors.py, declaration for declaration (Locust's task list order: the
// `tasks` attribute first, then the @task methods). Their tasks do nothing; these tests only
// prepare scenarios and never run a user.
#pragma once

#include <hornet/hornet.hpp>
#include <memory>
#include <string>
#include <vector>

namespace hornet::core::forum {

class Nested2 : public TaskSet {
 public:
  Task<> deep() { co_return; }
  static void define(Spec<Nested2> spec) { spec.task("deep", &Nested2::deep).tag("deep"); }
};

// @tag("admin") on the class: every task, nested ones included, carries "admin".
class AdminSet : public TaskSet {
 public:
  Task<> ban() { co_return; }
  Task<> delete_post() { co_return; }
  static void define(Spec<AdminSet> spec) {
    spec.tag("admin");
    spec.task_set<Nested2>();
    spec.task("ban", &AdminSet::ban);
    spec.task("delete_post", &AdminSet::delete_post, 2).tag("post");
  }
};

class ForumPage : public TaskSet {
 public:
  Task<> read_thread() { co_return; }
  Task<> create_thread() { co_return; }
  Task<> comment() { co_return; }
  Task<> untagged() { co_return; }
  static void define(Spec<ForumPage> spec) {
    spec.task("read_thread", &ForumPage::read_thread, 100).tag("thread");
    spec.task("create_thread", &ForumPage::create_thread, 7).tag("thread", "post");
    spec.task("comment", &ForumPage::comment, 11).tag("post");
    spec.task("untagged", &ForumPage::untagged);
  }
};

class Site : public User {
 public:
  Task<> browse() { co_return; }
  Task<> home() { co_return; }
  static void define(Spec<Site> spec) {
    spec.weight(2);
    spec.task_set<ForumPage>(2);
    spec.task_set<AdminSet>(1);
    spec.task("browse", &Site::browse).tag("thread");
    spec.task("home", &Site::home, 3);
  }
};

class Api : public User {
 public:
  Task<> get() { co_return; }
  Task<> post() { co_return; }
  static void define(Spec<Api> spec) {
    spec.weight(1);
    spec.task("get", &Api::get, 2);
    spec.task("post", &Api::post);
  }
};

class Admin : public User {
 public:
  static void define(Spec<Admin> spec) {
    spec.fixed_count(1);
    spec.task_set<AdminSet>();
  }
};

class Checkout : public SequentialTaskSet {
 public:
  Task<> cart() { co_return; }
  Task<> pay() { co_return; }
  static void define(Spec<Checkout> spec) {
    spec.task("cart", &Checkout::cart, 2);
    spec.task("pay", &Checkout::pay);
  }
};

class Shopper : public User {
 public:
  Task<> look() { co_return; }
  static void define(Spec<Shopper> spec) {
    spec.weight(3);
    spec.task_set<Checkout>();
    spec.task("look", &Shopper::look);
  }
};

using ClassList = std::vector<std::shared_ptr<const detail::ClassInfo>>;

/// The classes named, in that order (Site, Api, Admin, Shopper).
inline ClassList classes(const std::vector<std::string>& names) {
  ClassList out;
  for (const auto& name : names) {
    if (name == "Site") out.push_back(describe<Site>("Site"));
    if (name == "Api") out.push_back(describe<Api>("Api"));
    if (name == "Admin") out.push_back(describe<Admin>("Admin"));
    if (name == "Shopper") out.push_back(describe<Shopper>("Shopper"));
  }
  return out;
}

}  // namespace hornet::core::forum
