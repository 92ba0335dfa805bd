#!/usr/bin/env python3
"""Scenario files and URLs given to the `hornet` command: `-f scenario.cpp` compiled into a
cached plugin and loaded (the seed against the demo target, a cache hit, compile errors, a file
without user classes, several files, a directory), the installed layout (`cmake --install`), and
`hornet URL` with -X, --header and -d.

    python3 test_scenario_files.py hornet=PATH demo=PATH [-v]
"""

import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import itest
from itest_server import ServerTestCase

SOURCE_DIR = Path(__file__).resolve().parents[2]
SEED_CPP = SOURCE_DIR / "examples" / "seed.cpp"
COMPILE_TIMEOUT = 300.0  # a cold compile under a sanitizer build's load; only against hangs

TWO_CLASSES = {
    "a.cpp": "AUser",
    "b.cpp": "BUser",
}
USER_CLASS = """#include <hornet/hornet.hpp>
class {name} : public hornet::HttpUser {{
 public:
  hornet::Task<> ping() {{ co_await client().get("/ok"); }}
  static void define(hornet::Spec<{name}> spec) {{ spec.task("ping", &{name}::ping); }}
}};
HORNET_USER({name});
"""


def cache_entries(cache):
    """The files of Hornet's plugin cache under XDG_CACHE_HOME `cache`."""
    directory = Path(cache) / "hornet"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


class CompiledScenarioTest(unittest.TestCase):
    """`hornet -f file.cpp` with one plugin cache (XDG_CACHE_HOME) shared by the class."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory(prefix="hornet-itest-files-")
        cls.dir = Path(cls.work.name)
        cls.cache = str(cls.dir / "cache")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def hornet(self, *args, cache=None):
        return itest.run("hornet", *args, env={"XDG_CACHE_HOME": cache or self.cache},
                         timeout=COMPILE_TIMEOUT)

    def write(self, name, text):
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def test_seed_runs_and_the_second_run_uses_the_cache(self):
        demo = itest.DemoTarget("--threads", "1")
        self.addCleanup(demo.stop)
        cache = str(self.dir / "seed-cache")
        args = ("-f", str(SEED_CPP), "-H", demo.url, "-u", "10", "-r", "10", "-t", "2s", "-s", "10",
                "--headless")
        with self.hornet(*args, cache=cache) as first:
            self.assertEqual(first.code, 0, first.describe())
            self.assertIn("Compiling " + str(SEED_CPP), first.stderr)
            self.assertEqual(first.failures(), {})
            self.assertEqual(first.count("POST", "/accounts/login/"), 10)
            self.assertGreater(first.count("GET", "/heavy_url/"), 0)
        entries = cache_entries(cache)
        self.assertEqual(len(entries), 1, entries)
        self.assertRegex(entries[0], r"^seed-[0-9a-f]{32}\.so$")
        plugin = Path(cache) / "hornet" / entries[0]
        before = plugin.stat()

        with self.hornet(*args, cache=cache) as second:
            self.assertEqual(second.code, 0, second.describe())
            self.assertNotIn("Compiling", second.stderr)
            self.assertEqual(second.count("POST", "/accounts/login/"), 10)
        self.assertEqual(cache_entries(cache), entries)
        after = plugin.stat()
        self.assertEqual((after.st_ino, after.st_mtime_ns), (before.st_ino, before.st_mtime_ns))

        # A changed file is a different cache entry.
        changed = self.write("seed-changed/seed.cpp", SEED_CPP.read_text() + "\n// changed\n")
        with self.hornet("-f", str(changed), "-l", cache=cache) as third:
            self.assertEqual(third.code, 0, third.describe())
            self.assertIn("Compiling", third.stderr)
        self.assertEqual(len(cache_entries(cache)), 2)

    def test_compile_error_is_shown_and_leaves_no_cache_entry(self):
        bad = self.write("broken.cpp", "#include <hornet/hornet.hpp>\nint x = ;\n")
        cache = str(self.dir / "broken-cache")
        with self.hornet("-f", str(bad), "-H", "http://127.0.0.1:1", "--headless", "-t", "1",
                         cache=cache) as hornet:
            self.assertEqual(hornet.code, 1, hornet.describe())
            self.assertIn(f"{bad}:2:", hornet.stderr)  # the compiler's own diagnostic
            self.assertIn("error:", hornet.stderr)
            self.assertIn(f"compiling {bad} failed", hornet.stderr)
        self.assertEqual(cache_entries(cache), [])

    def test_file_without_user_classes(self):
        empty = self.write("nothing.cpp", "#include <hornet/hornet.hpp>\nint unused = 1;\n")
        with self.hornet("-f", str(empty), "--headless", "-t", "1") as hornet:
            self.assertEqual(hornet.code, 1, hornet.describe())
            self.assertIn(f"{empty} defines no user class (register one with HORNET_USER)",
                          hornet.stderr)

    def test_several_files_and_a_directory(self):
        for name, cls in TWO_CLASSES.items():
            self.write(f"pair/{name}", USER_CLASS.format(name=cls))
        self.write("pair/_private.cpp", "this is not C++, and skipped: it starts with _\n")
        self.write("pair/notes.txt", "not a scenario file\n")
        comma_list = ",".join(str(self.dir / "pair" / name) for name in TWO_CLASSES)
        for value in (comma_list, str(self.dir / "pair")):
            with self.subTest(f=value), self.hornet("-f", value, "-l") as hornet:
                self.assertEqual(hornet.code, 0, hornet.describe())
                self.assertEqual(hornet.stdout, "Available Users:\n    AUser\n    BUser\n")

    def test_unknown_user_class_and_missing_file(self):
        path = self.write("one/a.cpp", USER_CLASS.format(name="AUser"))
        with self.hornet("-f", str(path), "NoSuchUser", "-H", "http://127.0.0.1:1",
                         "--headless", "-t", "1") as hornet:
            self.assertEqual(hornet.code, 1, hornet.describe())
            self.assertIn("Unknown User(s): NoSuchUser", hornet.stderr)
        with self.hornet("-f", str(self.dir / "missing.cpp"), "--headless") as hornet:
            self.assertEqual(hornet.code, 1, hornet.describe())
            self.assertIn(f"Could not find '{self.dir / 'missing.cpp'}'", hornet.stderr)
        with self.hornet("--headless") as hornet:  # Locust's default: ./locustfile
            self.assertEqual(hornet.code, 1, hornet.describe())
            self.assertIn("Could not find 'locustfile'", hornet.stderr)


class InstalledTest(unittest.TestCase):
    """`cmake --install` into a temporary prefix, then a scenario file run from there."""

    def test_installed_hornet_compiles_and_runs_a_scenario(self):
        build_dir = Path(itest.binary("hornet")).resolve().parents[1]  # <build>/src/hornet
        if not (build_dir / "CMakeCache.txt").exists():
            self.skipTest(f"{build_dir} is not a CMake build directory")
        with tempfile.TemporaryDirectory(prefix="hornet-itest-install-") as directory:
            prefix = Path(directory) / "prefix"
            subprocess.run(["cmake", "--install", str(build_dir), "--prefix", str(prefix)],
                           check=True, capture_output=True, timeout=120)
            installed = prefix / "bin" / "hornet"
            self.assertTrue((prefix / "include" / "hornet" / "hornet.hpp").exists())
            self.assertTrue((prefix / "lib" / "libhornet.so").exists())
            libraries = subprocess.run(["ldd", str(installed)], capture_output=True, text=True,
                                       check=True).stdout
            found = [line.split("=>")[1].split()[0] for line in libraries.splitlines()
                     if line.strip().startswith("libhornet.so")]
            self.assertEqual([os.path.realpath(p) for p in found],
                             [os.path.realpath(prefix / "lib" / "libhornet.so")], libraries)

            demo = itest.DemoTarget("--threads", "1")
            self.addCleanup(demo.stop)
            cache = Path(directory) / "cache"
            itest.BINARIES["installed"] = str(installed)
            with itest.run("installed", "-f", str(SEED_CPP), "-H", demo.url, "-u", "5", "-r",
                           "5", "-t", "2s", "-s", "10", "--headless",
                           env={"XDG_CACHE_HOME": str(cache)}, timeout=COMPILE_TIMEOUT) as hornet:
                self.assertEqual(hornet.code, 0, hornet.describe())
                self.assertEqual(hornet.count("POST", "/accounts/login/"), 5)
            plugins = list((cache / "hornet").glob("seed-*.so"))
            self.assertEqual(len(plugins), 1)
            # The plugin links the installed library, not the build tree's.
            dynamic = subprocess.run(["readelf", "-d", str(plugins[0])], capture_output=True,
                                     text=True, check=True).stdout
            self.assertIn(str(prefix / "lib"), dynamic)
            self.assertNotIn(str(build_dir), dynamic)


class UrlTest(ServerTestCase):
    """`hornet URL`: users that request one URL in a loop."""

    def test_get_in_a_loop(self):
        url = f"{self.server.url}/echo/get?q=1"
        before = self.server.count(path="/echo/get")
        # -s: at the time limit users finish their request, so each one sent is also counted.
        with itest.run("hornet", url, "-u", "3", "-r", "100", "-t", "2s", "-s", "5",
                       "--headless") as hornet:
            self.assertEqual(hornet.code, 0, hornet.describe())
            count = hornet.count("GET", "/echo/get?q=1")
            self.assertGreater(count, 10)
            self.assertEqual(self.server.count(path="/echo/get") - before, count)
            self.assertIn("UrlUser", hornet.stderr + hornet.stdout)

    def test_method_headers_and_body_from_a_file(self):
        with tempfile.TemporaryDirectory(prefix="hornet-itest-url-") as directory:
            body = Path(directory) / "body.json"
            body.write_bytes(b'{"a": [1, 2]}')
            url = f"{self.server.url}/echo/put"
            with itest.run("hornet", url, "-X", "put", "--header", "X-List: a, b",
                           "--header", "Content-Type: application/json", "-d", f"@{body}",
                           "-u", "1", "-t", "1s", "--headless") as hornet:
                self.assertEqual(hornet.code, 0, hornet.describe())
                self.assertGreater(hornet.count("PUT", "/echo/put"), 0)
        received = self.server.received(path="/echo/put")
        self.assertTrue(received)
        request = received[0]
        self.assertEqual(request.method, "PUT")
        self.assertEqual(request.headers.get("X-List"), "a, b")
        self.assertEqual(request.headers.get("Content-Type"), "application/json")
        self.assertEqual(request.body, b'{"a": [1, 2]}')

    def test_data_without_method_posts(self):
        with itest.run("hornet", f"{self.server.url}/echo/post", "-d", "x=1", "-u", "1", "-t",
                       "1s", "--headless") as hornet:
            self.assertEqual(hornet.code, 0, hornet.describe())
            self.assertGreater(hornet.count("POST", "/echo/post"), 0)
        self.assertEqual(self.server.received(path="/echo/post")[0].body, b"x=1")

    def test_bad_values_exit_2_naming_them(self):
        cases = [
            (("http://127.0.0.1:1/", "-X", "BAD METHOD"), "-X/--method: invalid value"),
            (("http://127.0.0.1:1/", "--header", "no colon"), "--header: invalid value: 'no colon'"),
            (("http://127.0.0.1:1/", "-d", "@/nonexistent/body"), "-d/--data: cannot read"),
            (("ftp://127.0.0.1/",), "Invalid URL 'ftp://127.0.0.1/'"),
            (("http://127.0.0.1:1/a", "http://127.0.0.1:1/b"), "Give one URL"),
            (("-d", "x"), "describe the request of `hornet URL`"),
        ]
        for args, message in cases:
            with self.subTest(args=args), itest.run("hornet", *args, "--headless", "-t",
                                                    "1") as hornet:
                self.assertEqual(hornet.code, 2, hornet.describe())
                self.assertIn(message, hornet.stderr)


if __name__ == "__main__":
    itest.main()
