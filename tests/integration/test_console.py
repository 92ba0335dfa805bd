#!/usr/bin/env python3
"""Console output of a headless run whose output is not a terminal: Locust's periodic and final
stats tables, the percentile table and the error report, byte for byte where Locust's format
strings fix them (reference §6, name width 80), on stderr; nothing on stdout.

    python3 test_console.py plain=PATH features=PATH [-v]
"""

import re
import unittest

import itest
from itest_server import TestServer

W = 80  # STATS_NAME_WIDTH when stdout is not a terminal
N = W - 8 + 4
PERCENTILE_LABELS = ["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%",
                     "100%"]

# Locust's format strings (stats.py:786-862), applied as Locust applies them.
STATS_HEADER = ("%-8s %-" + str(N) + "s %7s %12s |%7s %7s %7s%7s | %7s %11s") % (
    "Type", "Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s")
STATS_SEPARATOR = ("-" * 8 + "|" + "-" * N + "|" + "-" * 7 + "|" + "-" * 13 + "|"
                   + ("-" * 7 + "|") * 4 + "-" * 8 + "|" + "-" * 11)
PERCENTILES_TITLE = "Response time percentiles (approximated)"
PERCENTILES_HEADER = ("%-8s %-" + str(W) + "s %8s " + " ".join(["%6s"] * 11)) % (
    "Type", "Name", *PERCENTILE_LABELS, "# reqs")
PERCENTILES_SEPARATOR = ("-" * 8 + "|" + "-" * W + "|" + "-" * 8 + "|" + ("-" * 6 + "|") * 11)[:-1]
ERRORS_TITLE = "Error report"
ERRORS_HEADER = "%-18s %-100s" % ("# occurrences", "Error")
ERRORS_SEPARATOR = "-" * 18 + "|" + "-" * (80 + W - 19)


def stats_row(method, name, requests, failures, avg, min_, max_, median, rps, fail_per_sec):
    fail_ratio = failures / requests if requests else 0.0
    return ("%-8s %-" + str(N) + "s %7d %12s |%7d %7d %7d%7d | %7.2f %11.2f") % (
        (method + " ") if method else "", name, requests,
        "%d(%.2f%%)" % (failures, fail_ratio * 100), avg, min_, max_, median, rps, fail_per_sec)


def csv_stats_row(row):
    """The final table's row for a _stats.csv row, as Locust prints it (the same numbers)."""
    return stats_row(row["Type"], row["Name"], int(row["Request Count"]),
                     int(row["Failure Count"]), float(row["Average Response Time"]),
                     float(row["Min Response Time"]), float(row["Max Response Time"]),
                     float(row["Median Response Time"]), float(row["Requests/s"]),
                     float(row["Failures/s"]))


def csv_percentiles_row(row):
    values = [int(row[label]) for label in PERCENTILE_LABELS]
    return ("%-8s %-" + str(W) + "s %8d " + " ".join(["%6d"] * 11)) % (
        row["Type"], row["Name"], *values, int(row["Request Count"]))


class ConsoleTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        # 5 s: periodic tables at 0, 2 and 4 s, then the final ones. Every request fails (404).
        cls.hornet = itest.run("plain", "-H", cls.server.url, "-u", "2", "-r", "100", "-t", "5s",
                               "--headless", env={"ITEST_PATH": "/missing", "ITEST_WAIT": "0.1"})
        cls.lines = cls.hornet.stderr.split("\n")

    @classmethod
    def tearDownClass(cls):
        cls.hornet.close()
        cls.server.stop()

    def final_part(self):
        """The lines after "Shutting down (exit code N)"."""
        start = next(i for i, line in enumerate(self.lines) if "Shutting down (exit code" in line)
        return self.lines[start + 1:]

    def test_the_run_itself(self):
        self.assertEqual(self.hornet.code, 1, self.hornet.describe())
        self.assertGreaterEqual(self.hornet.took, 5.0)  # -t 5s
        self.assertEqual(self.hornet.stdout, "")  # Locust's tables and logs go to stderr

    def test_periodic_tables_then_the_final_one(self):
        headers = [i for i, line in enumerate(self.lines) if line == STATS_HEADER]
        # At 0, 2, 4 s, and the final table; allow for a slow machine missing the 4 s one.
        self.assertIn(len(headers), (3, 4), self.hornet.stderr)
        for i in headers:
            self.assertEqual(self.lines[i + 1], STATS_SEPARATOR)
        # The first table comes before any request: empty, with a zero Aggregated row.
        first = headers[0]
        self.assertEqual(self.lines[first + 1:first + 5], [
            STATS_SEPARATOR, STATS_SEPARATOR, stats_row("", "Aggregated", 0, 0, 0, 0, 0, 0, 0, 0),
            ""])
        # The periodic ones have the entry, rates in the current window.
        for i in headers[1:-1]:
            self.assertRegex(self.lines[i + 2], r"^GET      /missing {70} +\d+ +\d+\(100\.00%\) \|")
            self.assertEqual(self.lines[i + 3], STATS_SEPARATOR)
            self.assertTrue(self.lines[i + 4].startswith("         Aggregated"))
            self.assertEqual(self.lines[i + 5], "")

    def test_final_tables_match_the_csv(self):
        stats = self.hornet.csv_rows("stats")
        final = self.final_part()
        rows = [csv_stats_row(row) for row in stats]
        self.assertEqual(final[:7], [STATS_HEADER, STATS_SEPARATOR, rows[0], STATS_SEPARATOR,
                                     rows[1], "", PERCENTILES_TITLE])
        self.assertEqual(final[7:13], [
            PERCENTILES_HEADER, PERCENTILES_SEPARATOR, csv_percentiles_row(stats[0]),
            PERCENTILES_SEPARATOR, csv_percentiles_row(stats[1]), ""])

    def test_error_report(self):
        final = self.final_part()
        start = final.index(ERRORS_TITLE)
        failures = self.hornet.csv_rows("failures")
        self.assertEqual(len(failures), 1)
        occurrences = int(failures[0]["Occurrences"])
        error = failures[0]["Error"]
        self.assertRegex(error, r"^HTTPError\('404 Client Error: Not Found for url: http://")
        self.assertEqual(final[start:start + 6], [
            ERRORS_TITLE, ERRORS_HEADER, ERRORS_SEPARATOR,
            "%-18i %-100s" % (occurrences, "GET /missing: " + error), ERRORS_SEPARATOR, ""])

    def test_log_lines(self):
        text = self.hornet.stderr
        # Locust's logger format: [date time,ms] host/LEVEL/logger: message
        prefix = r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] [^/\s]+/INFO/[\w.]+: "
        for message in (r"Run time limit set to 5 seconds",
                        r"Ramping to 2 users at a rate of 100\.00 per second",
                        r'All users spawned: \{"PlainUser": 2\} \(2 total users\)',
                        r"--run-time limit reached, shutting down",
                        r"Shutting down \(exit code 1\)"):
            self.assertRegex(text, re.compile(prefix + message + "$", re.M))


class OnlySummaryTest(unittest.TestCase):

    def test_only_summary_prints_the_final_tables_only(self):
        with TestServer() as server:
            hornet = itest.run("plain", "-H", server.url, "-u", "1", "-r", "100", "-t", "3s",
                               "--headless", "--only-summary",
                               env={"ITEST_PATH": "/ok", "ITEST_WAIT": "0.1"})
            self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        lines = hornet.stderr.split("\n")
        self.assertEqual(lines.count(STATS_HEADER), 1, hornet.stderr)
        self.assertEqual(lines.count(PERCENTILES_HEADER), 1)
        self.assertNotIn(ERRORS_TITLE, lines)  # no errors, no error report
        shutdown = next(i for i, line in enumerate(lines) if "Shutting down (exit code 0)" in line)
        self.assertGreater(lines.index(STATS_HEADER), shutdown)


class SortedRowsTest(unittest.TestCase):
    """Many entries: methods, names CSV must quote, a name that is not ASCII (padded by
    characters, as Python does), failures with quotes in their messages."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()
        cls.hornet = itest.run_until_stopped(cls.server, ("RequestUser", "NameUser"), 2,
                                             "--only-summary")
        cls.lines = cls.hornet.stderr.split("\n")
        cls.stats = cls.hornet.csv_rows("stats")

    @classmethod
    def tearDownClass(cls):
        cls.hornet.close()
        cls.server.stop()

    def test_rows_sorted_by_name_then_method(self):
        keys = [(row["Name"], row["Type"]) for row in self.stats]
        self.assertEqual(keys[-1], ("Aggregated", ""))
        self.assertEqual(keys[:-1], sorted(keys[:-1]))
        self.assertGreater(len(keys), 15)
        self.assertIn(("/caf\u00e9 \u00fcber", "GET"), keys)

    def test_final_table_rows(self):
        start = self.lines.index(STATS_HEADER) + 2
        count = len(self.stats)
        self.assertEqual(self.lines[start:start + count - 1],
                         [csv_stats_row(row) for row in self.stats[:-1]])
        self.assertEqual(self.lines[start + count - 1], STATS_SEPARATOR)
        self.assertEqual(self.lines[start + count], csv_stats_row(self.stats[-1]))

    def test_percentile_rows(self):
        start = self.lines.index(PERCENTILES_HEADER) + 2
        count = len(self.stats)
        self.assertEqual(self.lines[start:start + count - 1],
                         [csv_percentiles_row(row) for row in self.stats[:-1]])

    def test_error_report_rows(self):
        start = self.lines.index(ERRORS_TITLE) + 3
        failures = self.hornet.csv_rows("failures")
        self.assertEqual(len(failures), 3)
        rows = sorted(self.lines[start:start + 3])
        expected = sorted("%-18i %-100s" % (int(f["Occurrences"]),
                                            f"{f['Method']} {f['Name']}: {f['Error']}")
                          for f in failures)
        self.assertEqual(rows, expected)
        self.assertEqual(self.lines[start + 3], ERRORS_SEPARATOR)


if __name__ == "__main__":
    itest.main()
