"""Locust's contrib package: FastHttpUser (fasthttp)."""
