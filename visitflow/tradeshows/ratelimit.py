"""A small cache-based limiter for the pages reached without an account or by typed
codes (the RSVP link, check-in by code): past the limit the answer is 429, so codes
cannot be guessed by trying. django-axes guards the log-in form only."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt under `key`; True while within `limit` per window."""
    full_key = f"ratelimit:{key}"
    cache.add(full_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def over(key: str, *, limit: int) -> bool:
    """Whether `key` has used up its `limit` attempts, without counting one."""
    return int(cache.get(f"ratelimit:{key}", 0)) >= limit
