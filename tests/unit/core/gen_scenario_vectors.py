#!/usr/bin/python3
"""Prints the expected values of scenario_test.cpp and task_ratio_test.cpp, from Locust 2.12's own
filter_tasks_by_tags (locust/user/task.py) and inspectuser (get_ratio, _calc_distribution).

    timeout 60 /usr/bin/python3 tests/unit/core/gen_scenario_vectors.py

The classes mirror the C++ test's classes declaration for declaration (Locust's task list order:
the `tasks` attribute first, then @task methods in definition order).
"""
import json

from locust import SequentialTaskSet, TaskSet, User, tag, task
from locust.user.inspectuser import _calc_distribution, _print_task_ratio, get_ratio
from locust.user.task import filter_tasks_by_tags


def make_classes():
    """Fresh classes each time: tagging and filtering mutate them."""

    class Nested2(TaskSet):
        @tag("deep")
        @task
        def deep(self):
            pass

    @tag("admin")
    class AdminSet(TaskSet):
        tasks = [Nested2]

        @task
        def ban(self):
            pass

        @tag("post")
        @task(2)
        def delete_post(self):
            pass

    class ForumPage(TaskSet):
        @tag("thread")
        @task(100)
        def read_thread(self):
            pass

        @tag("thread")
        @tag("post")
        @task(7)
        def create_thread(self):
            pass

        @tag("post")
        @task(11)
        def comment(self):
            pass

        @task
        def untagged(self):
            pass

    class Site(User):
        weight = 2
        tasks = {ForumPage: 2, AdminSet: 1}

        @tag("thread")
        @task
        def browse(self):
            pass

        @task(3)
        def home(self):
            pass

    class Api(User):
        weight = 1

        @task(2)
        def get(self):
            pass

        @task
        def post(self):
            pass

    class Admin(User):
        fixed_count = 1
        tasks = [AdminSet]

    class Checkout(SequentialTaskSet):
        @task(2)
        def cart(self):
            pass

        @task
        def pay(self):
            pass

    class Shopper(User):
        weight = 3
        tasks = [Checkout]

        @task
        def look(self):
            pass

    return {"Site": Site, "Api": Api, "Admin": Admin, "Shopper": Shopper}


def describe(holder):
    """'name:weight' per distinct task in order, nested sets as Name(...)."""
    out = []
    seen = {}
    for t in holder.tasks:
        seen[t] = seen.get(t, 0) + 1
    for t, n in seen.items():
        if hasattr(t, "tasks"):
            out.append(f"{t.__name__}:{n}({describe(t)})")
        else:
            out.append(f"{t.__name__}:{n}")
    return " ".join(out)


TAG_CASES = [
    ("NoFilter", None, None),
    ("TagsThread", ["thread"], None),
    ("TagsPost", ["post"], None),
    ("ExcludePost", None, ["post"]),
    ("TagsAdminFromClassTag", ["admin"], None),
    ("TagsDeepKeepsParentSetWithOnlyNested", ["deep"], None),
    ("TagsAndExcludeTogether", ["thread", "admin"], ["post"]),
    ("ExcludeAdminDropsWholeSet", None, ["admin"]),
    ("ExcludeThreadAndPost", None, ["thread", "post"]),
]


def main():
    print("// Tag filtering of Site (filter_tasks_by_tags):")
    for name, tags, exclude in TAG_CASES:
        site = make_classes()["Site"]
        filter_tasks_by_tags(site, set(tags) if tags else None, set(exclude) if exclude else None)
        print(f'    {{"{name}", {json.dumps(tags)}, {json.dumps(exclude)}, "{describe(site)}"}},')

    print("// Task ratios (get_ratio over _calc_distribution):")
    for names, num_users in [(["Site"], 0), (["Site", "Api"], 0), (["Site", "Api"], 7),
                             (["Site", "Api", "Admin"], 10), (["Api", "Site"], 2),
                             (["Admin"], 0), (["Site", "Api", "Admin", "Shopper"], 13),
                             (["Api", "Shopper"], 2), (["Api", "Shopper"], 6),
                             (["Site", "Admin"], 0)]:
        classes = make_classes()
        user_classes = [classes[n] for n in names]
        dist = _calc_distribution(user_classes, num_users)
        per_class = get_ratio(user_classes, dist, False)
        total = get_ratio(user_classes, dist, True)
        print(f"    // {names} num_users={num_users}")
        print(f"    distribution: {json.dumps(dist)}")
        print(f"    per_class: {json.dumps(per_class)}")
        print(f"    total: {json.dumps(total)}")

    print("// --show-task-ratio text (_print_task_ratio) for Site and Api, 7 users, per class:")
    classes = make_classes()
    user_classes = [classes["Site"], classes["Api"]]
    _print_task_ratio(get_ratio(user_classes, _calc_distribution(user_classes, 7), False))


if __name__ == "__main__":
    main()
