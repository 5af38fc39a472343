import yaml

from app.config_loader import load_overrides


def test_overrides_parse():
    assert load_overrides("a: 1") == {"a": 1}
    assert yaml.load("b: 2") == {"b": 2}
