#!/usr/bin/env python3
"""https:// hosts: certificate verification is on by default (a self-signed certificate is an
SSLError failure), --insecure turns it off; a trusted certificate must also name the host; SNI;
the seed scenario over TLS.

Trust is given through OpenSSL's SSL_CERT_FILE, which Hornet's default verify paths read (Hornet
has no CA option of its own).

    python3 test_tls.py plain=PATH seed=PATH demo=PATH [-v]
"""

import os
import subprocess
import tempfile
import unittest

import itest
from itest_server import TestServer

USERS = 2


def make_certificate(directory, name, san):
    cert = os.path.join(directory, f"{name}.pem")
    key = os.path.join(directory, f"{name}.key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
         "-out", cert, "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName={san}"],
        check=True, capture_output=True, timeout=60)
    return cert, key


class TlsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="hornet-itest-tls-")
        cls.cert, cls.key = make_certificate(cls.directory.name, "local",
                                             "IP:127.0.0.1,DNS:localhost")
        cls.server = TestServer(tls_cert=cls.cert, tls_key=cls.key)
        cls.other_cert, other_key = make_certificate(cls.directory.name, "other",
                                                     "DNS:other.example")
        cls.other = TestServer(tls_cert=cls.other_cert, tls_key=other_key)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.other.stop()
        cls.directory.cleanup()

    def run_plain(self, url, *flags, env=None):
        # -s: at the time limit a user still in its first handshake (a loaded machine, a
        # sanitizer build) finishes it, so its outcome is counted rather than cancelled.
        hornet = itest.run("plain", "-H", url, "-u", str(USERS), "-r", "100",
                           "-t", "2s", "-s", "30", "--headless", *flags,
                           env={"ITEST_PATH": "/ok", "ITEST_WAIT": "0.05", **(env or {})})
        self.addCleanup(hornet.close)
        return hornet

    def assert_tls_failures(self, hornet, server, pattern):
        self.assertEqual(hornet.code, 1, hornet.describe())
        failures = hornet.failures()
        self.assertEqual(len(failures), 1, failures)
        (method, name, error), occurrences = next(iter(failures.items()))
        self.assertEqual((method, name), ("GET", "/ok"))
        self.assertRegex(error, pattern)
        self.assertEqual(hornet.count("GET", "/ok"), occurrences)
        self.assertEqual(hornet.failure_count("GET", "/ok"), occurrences)
        self.assertGreaterEqual(occurrences, 1)

    def assert_successes(self, hornet, server, before):
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(hornet.failures(), {})
        count = hornet.count("GET", "/ok")
        self.assertGreater(count, 0)
        requests = server.received(path="/ok")[before:]
        self.assertLessEqual(count, len(requests))
        self.assertGreaterEqual(count, len(requests) - USERS)
        return requests

    def test_self_signed_certificate_fails_verification(self):
        before = self.server.count()
        hornet = self.run_plain(self.server.url)
        self.assert_tls_failures(hornet, self.server,
                                 r"^SSLError\(.*certificate verify failed.*self.signed.*\)$")
        # No request reached the server: the handshake failed before.
        self.assertEqual(self.server.count(), before)
        self.assertGreaterEqual(len(self.server.tls_failures), 1)

    def test_insecure_skips_verification(self):
        before = self.server.count(path="/ok")
        hornet = self.run_plain(self.server.url, "--insecure")
        requests = self.assert_successes(hornet, self.server, before)
        for request in requests:
            self.assertEqual(request.headers.get("Host"), f"127.0.0.1:{self.server.port}")
        # Keep-alive over TLS: one connection per user, reused for all its requests.
        self.assertEqual(len({request.client_port for request in requests}), USERS)

    def test_trusted_certificate_for_the_host(self):
        for host in ("127.0.0.1", "localhost"):
            with self.subTest(host=host):
                before = self.server.count(path="/ok")
                sni_before = len(self.server.sni_names)
                hornet = self.run_plain(f"https://{host}:{self.server.port}",
                                        env={"SSL_CERT_FILE": self.cert})
                self.assert_successes(hornet, self.server, before)
                # SNI carries a host name, never an IP address (RFC 6066).
                names = set(self.server.sni_names[sni_before:])
                self.assertEqual(names, {None} if host == "127.0.0.1" else {"localhost"})

    def test_trusted_certificate_for_another_host_fails(self):
        before = self.other.count()
        hornet = self.run_plain(self.other.url, env={"SSL_CERT_FILE": self.other_cert})
        self.assert_tls_failures(hornet, self.other,
                                 r"^SSLError\(.*certificate verify failed.*\)$")
        self.assertEqual(self.other.count(), before)

    # The message names the cause, as OpenSSL's own host check (and so requests) does:
    # "IP address mismatch" rather than an unspecified verification error.
    def test_host_mismatch_message_says_so(self):
        hornet = self.run_plain(self.other.url, env={"SSL_CERT_FILE": self.other_cert})
        self.assert_tls_failures(hornet, self.other,
                                 r"^SSLError\(.*certificate verify failed.*mismatch.*\)$")


class SeedOverTlsTest(unittest.TestCase):

    def test_seed_logs_in_over_https(self):
        with tempfile.TemporaryDirectory(prefix="hornet-itest-tls-") as directory:
            cert, key = make_certificate(directory, "demo", "IP:127.0.0.1")
            demo = itest.DemoTarget("--tls-cert", cert, "--tls-key", key)
            self.addCleanup(demo.stop)
            self.assertTrue(demo.url.startswith("https://"))
            users = 20
            hornet = itest.run("seed", "-H", demo.url, "-u", str(users), "-r", str(users),
                               "-t", "3s", "-s", "10", "--headless", "--insecure")
            self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(hornet.failures(), {})
        stats = demo_stats(demo)
        self.assertEqual(stats["logins_succeeded"], users)
        self.assertEqual(stats["csrf_rejections"], 0)
        self.assertEqual(hornet.count("POST", "/accounts/login/"), users)
        self.assertEqual(stats["connections"]["tls_handshake_failed"], 0)


def demo_stats(demo):
    """The demo target's counters, over https without verification."""
    import json
    import ssl
    import urllib.request
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(demo.url + "/__demo/stats", timeout=30,
                                context=context) as response:
        return json.load(response)


if __name__ == "__main__":
    itest.main()
