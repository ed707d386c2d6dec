"""The public site's addresses, reversed once per process.

`reverse()` walks the URLconf's patterns on every call: about 80 µs on the
benchmark machine, and a story's page names a dozen addresses (its section,
tags, authors, itself), a list of stories several dozen. The answer depends
only on the arguments, the URLconf and the script prefix, so it is kept per
process under all of them, and forgotten on any changed setting (tests'
`override_settings`, e.g. of ROOT_URLCONF).
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def address(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), from this process's memory when it can."""
    return _reversed(viewname, tuple(kwargs.items()), get_urlconf(), get_script_prefix())


# Bounded: one entry per story, tag, author and section address served.
@functools.lru_cache(maxsize=20_000)
def _reversed(viewname, kwargs, urlconf, script_prefix):
    # The script prefix is part of the key only: reverse() reads the same one.
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)


@receiver(setting_changed)
def _forget(**kwargs):
    _reversed.cache_clear()
