"""Loads the service configuration from YAML files."""
import os

import yaml


def load_config(path):
    # Configuration files may be uploaded by tenants.
    with open(path) as handle:
        return yaml.load(handle, Loader=yaml.Loader)


def load_overrides(text):
    return yaml.load(text)


def config_dir():
    return os.environ.get("CONFIG_DIR", "/etc/vulnerable-app")
