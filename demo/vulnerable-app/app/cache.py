"""A small in-memory cache keyed by a digest of the request."""
import hashlib

_cache = {}


def cache_key(request_body):
    return hashlib.md5(request_body.encode("utf-8"), usedforsecurity=False).hexdigest()


def remember(request_body, value):
    _cache[cache_key(request_body)] = value
