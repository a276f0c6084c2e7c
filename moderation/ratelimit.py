"""Fixed-window rate limits in Django's cache (Redis in production, so every
process shares them), and the client network they are counted by.

When the cache does not answer (production's django-redis returns None instead
of raising), requests are let through: a comment form that refuses everyone, or
fails, while Redis is away is worse than no limit for a while. The outage is
logged when it starts and when it ends, not on every request."""

import hashlib
import ipaddress
import logging
import threading
import time

from django.core.cache import cache

from .conf import setting

logger = logging.getLogger(__name__)
_state_lock = threading.Lock()
_cache_down = False  # as this process last found it


def hit(scope, identity, limit, window):
    """Count one request; return seconds to wait if over ``limit`` per ``window``, else 0."""
    now = time.time()
    window_start = int(now // window * window)
    # Hash the identity: an email address is never a readable cache key.
    digest = hashlib.sha256(str(identity).encode()).hexdigest()[:32]
    key = f"moderation:rate:{scope}:{digest}:{window_start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    _cache_answered(count is not None)
    if count is None:
        return 0
    if count > limit:
        return max(1, int(window_start + window - now + 0.999))
    return 0


def _cache_answered(answered):
    """Log when the cache stops or starts answering: once per change, per process."""
    global _cache_down
    with _state_lock:
        was_down, _cache_down = _cache_down, not answered
    if was_down and answered:
        logger.info("The cache answers again: rate limits are back on.")
    elif not was_down and not answered:
        logger.warning(
            "The cache (CACHE_URL) does not answer: rate limits are off until it does."
        )


def client_network(request):
    """The client's /24 (IPv4) or /48 (IPv6) network: enough to limit a sender,
    too coarse to identify a person. The full address is never stored."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = setting("TRUSTED_PROXY_COUNT")
    if proxies:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
