"""describe()/load(): the class decls the C++ side runs (src/python/README.md)."""

import os
import unittest

from support import Locustfiles, _hornet_runtime, decls_by_name, fresh_events, load_source, tasks_summary

HERE = os.path.dirname(os.path.abspath(__file__))
# The seed's locustfile, verbatim (examples/seed.py).
SEED = os.path.join(HERE, "..", "..", "examples", "seed.py")


class SeedTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def check_seed(self, result):
        self.assertEqual([d["name"] for d in result["classes"]], ["WebsiteUser", "UserBehavior"])
        user, behaviour = result["classes"]
        self.assertEqual(user["kind"], "user")
        self.assertEqual(user["client"], "http")
        self.assertEqual(user["weight"], 1)
        self.assertEqual(user["fixed_count"], 0)
        self.assertIsNone(user["host"])
        self.assertEqual(user["tasks"], [{"name": "UserBehavior", "weight": 1, "tags": [], "task_set": 1}])
        self.assertEqual(behaviour["kind"], "taskset")
        self.assertIsNone(behaviour["client"])
        self.assertIsNone(behaviour["wait"])  # waits as its user
        self.assertEqual(
            tasks_summary(behaviour),
            [("index", 1), ("heavy_url", 2), ("another_heavy_ajax_url", 2)],
        )
        for task in behaviour["tasks"]:
            self.assertEqual(task["func"].__name__, task["name"])
            self.assertEqual(task["tags"], [])
        self.assertIsNone(result["shape"])
        self.assertEqual(result["arguments"], [])
        return user

    def test_seed_verbatim_locust_0x(self):
        result = _hornet_runtime.load([SEED], [])
        user = self.check_seed(result)
        self.assertEqual(user["wait"], ("constant", 1.0))  # Locust 0.x's default wait: 1 s

    def test_seed_in_locust_2x_spelling(self):
        with open(SEED) as f:
            source = f.read()
        source = source.replace("HttpLocust, TaskSet, task", "HttpUser, TaskSet, task, constant")
        source = source.replace(
            "class WebsiteUser(HttpLocust):\n    task_set = UserBehavior",
            "class WebsiteUser(HttpUser):\n    tasks = [UserBehavior]\n    wait_time = constant(1)",
        )
        self.assertIn("tasks = [UserBehavior]", source)
        user = self.check_seed(load_source("seed2x.py", source))
        self.assertEqual(user["wait"], ("constant", 1.0))

    def test_seed_module_named_after_file_and_its_folder_importable(self):
        import sys

        _hornet_runtime.load([SEED], [])
        self.assertIn("seed", sys.modules)
        self.assertEqual(sys.path[1], os.path.dirname(os.path.abspath(SEED)))
        self.assertTrue(sys.path[0].endswith(os.path.join("src", "python", "package")))


class TasksTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def test_task_weights_on_user(self):
        decl = load_source("weights.py", """
            from locust import User, task
            class U(User):
                @task
                def a(self): pass
                @task(3)
                def b(self): pass
        """)["classes"][0]
        self.assertEqual(tasks_summary(decl), [("a", 1), ("b", 3)])
        self.assertEqual(decl["client"], None)
        self.assertEqual(decl["wait"], ("constant", 0.0))  # User's default

    def test_tasks_list_dict_and_pairs(self):
        result = load_source("lists.py", """
            from locust import User, TaskSet
            def f(user): pass
            def g(user): pass
            class TS(TaskSet):
                tasks = {f: 2, g: 5}
            class ListUser(User):
                tasks = [f, g, f]
            class PairUser(User):
                tasks = [(f, 4), (TS, 2)]
            class DictUser(User):
                tasks = {TS: 3, g: 1}
        """)
        decls = decls_by_name(result)
        self.assertEqual(tasks_summary(decls["ListUser"]), [("f", 2), ("g", 1)])
        self.assertEqual(tasks_summary(decls["PairUser"]), [("f", 4), ("TS", 2)])
        self.assertEqual(tasks_summary(decls["DictUser"]), [("TS", 3), ("g", 1)])
        self.assertEqual(tasks_summary(decls["TS"]), [("f", 2), ("g", 5)])
        # One decl per TaskSet class, referenced by index; users first.
        names = [d["name"] for d in result["classes"]]
        self.assertEqual(names[:3], ["ListUser", "PairUser", "DictUser"])
        self.assertEqual(names.count("TS"), 1)
        ts_index = names.index("TS")
        self.assertEqual(decls["PairUser"]["tasks"][1]["task_set"], ts_index)
        self.assertEqual(decls["DictUser"]["tasks"][0]["task_set"], ts_index)

    def test_nested_and_sequential_task_sets(self):
        result = load_source("nested.py", """
            from locust import HttpUser, TaskSet, SequentialTaskSet, task
            class Inner(TaskSet):
                @task
                def leaf(self):
                    self.interrupt()
            class Steps(SequentialTaskSet):
                @task
                def first(self): pass
                @task(2)
                def second(self): pass
                tasks = [Inner]
                @task
                def third(self): pass
            class Outer(TaskSet):
                @task(4)
                class Thread(TaskSet):
                    @task
                    def read(self): pass
                tasks = {Steps: 1}
            class U(HttpUser):
                host = "http://example.com"
                tasks = [Outer]
        """)
        decls = decls_by_name(result)
        self.assertEqual([d["name"] for d in result["classes"]][0], "U")
        self.assertEqual(decls["Steps"]["kind"], "sequential")
        # Declaration order; @task(2) runs twice in a row; a repeated name stays in order.
        self.assertEqual(tasks_summary(decls["Steps"]), [("first", 1), ("second", 2), ("Inner", 1), ("third", 1)])
        self.assertEqual(set(tasks_summary(decls["Outer"])), {("Steps", 1), ("Thread", 4)})
        self.assertEqual(tasks_summary(decls["Thread"]), [("read", 1)])
        self.assertEqual(decls["Inner"]["kind"], "taskset")
        self.assertEqual(decls["U"]["host"], "http://example.com")

    def test_sequential_runs_of_a_repeated_task(self):
        decl = load_source("seq.py", """
            from locust import User, SequentialTaskSet
            def a(ts): pass
            def b(ts): pass
            class S(SequentialTaskSet):
                tasks = [a, a, b, a]
            class U(User):
                tasks = [S]
        """)["classes"][1]
        self.assertEqual(tasks_summary(decl), [("a", 2), ("b", 1), ("a", 1)])

    def test_locust_0x_task_sequence(self):
        decl = load_source("sequence.py", """
            from locust import HttpLocust, TaskSequence, seq_task, task
            class Flow(TaskSequence):
                @seq_task(2)
                @task(3)
                def second(self): pass
                @seq_task(1)
                def first(self): pass
                @seq_task(3)
                def third(self): pass
            class U(HttpLocust):
                task_set = Flow
        """)["classes"][1]
        self.assertEqual(decl["kind"], "sequential")
        self.assertEqual(tasks_summary(decl), [("first", 1), ("second", 3), ("third", 1)])

    def test_tags_on_functions_and_task_sets(self):
        result = load_source("tags.py", """
            from locust import User, TaskSet, task, tag
            @tag("sets")
            class Tagged(TaskSet):
                @task
                def one(self): pass
                @tag("own")
                @task
                def two(self): pass
            class U(User):
                @tag("a", "b")
                @task
                def x(self): pass
                @task
                def y(self): pass
                tasks = [Tagged]
        """)
        decls = decls_by_name(result)
        tags = {t["name"]: t["tags"] for t in decls["U"]["tasks"]}
        self.assertEqual(tags, {"x": ["a", "b"], "y": [], "Tagged": []})
        tags = {t["name"]: t["tags"] for t in decls["Tagged"]["tasks"]}
        self.assertEqual(tags, {"one": ["sets"], "two": ["own", "sets"]})

    def test_funcs_are_called_with_the_instance(self):
        result = load_source("calls.py", """
            from locust import User, task
            seen = []
            class U(User):
                @task
                def t(self):
                    seen.append(self)
        """)
        task = result["classes"][0]["tasks"][0]
        task["func"]("instance")
        import sys
        self.assertEqual(sys.modules["calls"].seen, ["instance"])

    def test_bad_task_is_an_error(self):
        with self.assertRaises(TypeError):
            load_source("bad.py", """
                from locust import User
                class U(User):
                    tasks = ["not a task"]
            """)


class WaitTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def test_fast_paths_and_custom(self):
        result = load_source("waits.py", """
            from locust import User, TaskSet, task, between, constant, constant_pacing, constant_throughput
            import random
            class Base(User):
                abstract = True
                @task
                def t(self): pass
            class B(Base):
                wait_time = between(0.5, 2)
            class C(Base):
                wait_time = constant(3)
            class P(Base):
                wait_time = constant_pacing(10)
            class T(Base):
                wait_time = constant_throughput(4)
            class Method(Base):
                def wait_time(self):
                    return random.random()
            class Lambda(Base):
                wait_time = lambda self: 1
            class Inherits(B):
                pass
            class OwnWait(TaskSet):
                wait_time = constant(7)
                @task
                def t(self): pass
            class CustomWait(TaskSet):
                def wait_time(self):
                    return 1
                @task
                def t(self): pass
            class WithSets(Base):
                tasks = [OwnWait, CustomWait]
        """)
        waits = {d["name"]: d["wait"] for d in result["classes"]}
        self.assertEqual(waits["B"], ("between", 0.5, 2.0))
        self.assertEqual(waits["C"], ("constant", 3.0))
        self.assertEqual(waits["P"], ("pacing", 10.0))
        self.assertEqual(waits["T"], ("throughput", 4.0))
        self.assertEqual(waits["Method"], ("custom",))
        self.assertEqual(waits["Lambda"], ("custom",))
        self.assertEqual(waits["Inherits"], ("between", 0.5, 2.0))
        self.assertEqual(waits["OwnWait"], ("constant", 7.0))
        self.assertEqual(waits["CustomWait"], ("custom",))
        self.assertNotIn("Base", waits)  # abstract

    def test_locust_0x_min_max_wait(self):
        result = load_source("old_waits.py", """
            from locust import HttpLocust, Locust, TaskSet, task
            class TS(TaskSet):
                min_wait = 100
                max_wait = 300
                @task
                def t(self): pass
            class Plain(TaskSet):
                @task
                def t(self): pass
            class A(HttpLocust):
                task_set = TS
                min_wait = 2000
                max_wait = 5000
            class B(Locust):
                task_set = Plain
            class C(A):
                max_wait = 9000
            class D(HttpLocust):
                task_set = Plain
                wait_function = lambda self: 1500
        """)
        waits = {d["name"]: d["wait"] for d in result["classes"]}
        self.assertEqual(waits["A"], ("between", 2.0, 5.0))
        self.assertEqual(waits["B"], ("constant", 1.0))
        self.assertEqual(waits["C"], ("between", 2.0, 9.0))
        self.assertEqual(waits["D"], ("custom",))
        self.assertEqual(waits["TS"], ("between", 0.1, 0.3))
        self.assertIsNone(waits["Plain"])
        decls = decls_by_name(result)
        self.assertEqual(decls["A"]["client"], "http")
        self.assertIsNone(decls["B"]["client"])

    def test_wait_time_objects_are_callable_in_python(self):
        from locust import User, between, constant, constant_pacing

        class U(User):
            wait_time = between(1, 2)

        class V(User):
            wait_time = constant(0.25)

        class P(User):
            wait_time = constant_pacing(5)

        for _ in range(20):
            self.assertTrue(1 <= U(None).wait_time() <= 2)
        self.assertEqual(V(None).wait_time(), 0.25)
        p = P(None)
        self.assertEqual(p.wait_time(), 5)
        p._cp_last_run -= 5 + 1  # slept its 5 s, then a task took 1 s
        self.assertAlmostEqual(p.wait_time(), 4, delta=0.1)  # pacing state on the instance
        p._cp_last_run -= 4 + 7  # slept 4 s, then a task overran the period
        self.assertEqual(p.wait_time(), 0)
        self.assertTrue(hasattr(p, "_cp_last_run"))
        self.assertFalse(hasattr(P(None), "_cp_last_run"))

    def test_legacy_wait_function_in_python(self):
        from locust import HttpLocust, TaskSet

        class TS(TaskSet):
            pass

        class U(HttpLocust):
            task_set = TS
            wait_function = lambda self: 1500

        user = U.__new__(U)
        self.assertEqual(user.wait_time(), 1.5)


class ClassesTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def test_weight_fixed_count_host_and_abstract(self):
        result = load_source("classes.py", """
            from locust import HttpUser, User, task
            from locust import HttpUser as Alias
            class Base(HttpUser):
                abstract = True
                host = "http://base"
                @task
                def t(self): pass
            class Heavy(Base):
                weight = 5
            class Fixed(Base):
                fixed_count = 2
                host = "http://fixed"
            class NotAUser:
                pass
        """)
        decls = decls_by_name(result)
        self.assertEqual(sorted(decls), ["Fixed", "Heavy"])
        self.assertEqual((decls["Heavy"]["weight"], decls["Heavy"]["fixed_count"]), (5, 0))
        self.assertEqual(decls["Heavy"]["host"], "http://base")
        self.assertEqual((decls["Fixed"]["fixed_count"], decls["Fixed"]["host"]), (2, "http://fixed"))
        self.assertIs(decls["Heavy"]["cls"].__name__, "Heavy")

    def test_shape_found(self):
        result = load_source("shaped.py", """
            from locust import User, LoadTestShape, task
            class U(User):
                @task
                def t(self): pass
            class Steps(LoadTestShape):
                def tick(self):
                    return (10, 2)
        """)
        self.assertEqual(type(result["shape"]).__name__, "Steps")
        self.assertEqual(_hornet_runtime.shape_tick(result["shape"]), (10, 2.0))

    def test_no_shape_from_the_base_class_import(self):
        result = load_source("unshaped.py", """
            from locust import User, LoadTestShape, task
            class U(User):
                @task
                def t(self): pass
        """)
        self.assertIsNone(result["shape"])

    def test_several_locustfiles(self):
        with Locustfiles() as files:
            a = files.write("first.py", """
                from locust import User, task
                class A(User):
                    @task
                    def t(self): pass
            """)
            b = files.write("second.py", """
                from locust import User, task
                from first import A
                class B(User):
                    @task
                    def t(self): pass
            """)
            result = _hornet_runtime.load([a, b], [])
        self.assertEqual([d["name"] for d in result["classes"]], ["A", "B"])

    def test_duplicate_class_names_are_an_error(self):
        with Locustfiles() as files:
            source = """
                from locust import User, task
                class A(User):
                    @task
                    def t(self): pass
            """
            paths = [files.write("one.py", source), files.write("two.py", source)]
            with self.assertRaises(ValueError):
                _hornet_runtime.load(paths, [])

    def test_import_errors_propagate(self):
        with self.assertRaises(SyntaxError):
            load_source("broken.py", "def (:\n")
        with self.assertRaises(ModuleNotFoundError):
            load_source("missing.py", "import no_such_module_anywhere\n")


if __name__ == "__main__":
    unittest.main()
