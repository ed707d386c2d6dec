"""pagecache/hints.py: what a process learns is bounded, and forgotten when
settings change."""

from django.test import override_settings

from pagecache.hints import BoundedMap, hints


def test_a_hint_map_forgets_everything_at_its_bound():
    learned = BoundedMap(bound=3)
    for key in "abc":
        learned[key] = key
    learned["d"] = "d"
    assert dict(learned) == {"d": "d"}


def test_a_hint_map_at_its_bound_still_updates_a_known_key():
    learned = BoundedMap(bound=2)
    learned["a"], learned["b"] = 1, 2
    learned["a"] = 3
    assert dict(learned) == {"a": 3, "b": 2}


def test_changed_settings_forget_every_hint():
    hints.stories["address"] = 7
    hints.policies["path"] = None
    with override_settings(PAGE_CACHE_TTL=5):
        assert not hints.stories
        assert not hints.policies
