"""Delivers webhooks to customer endpoints."""
import requests


def deliver(url, payload):
    response = requests.post(url, json=payload, timeout=10, verify=False)
    response.raise_for_status()
    return response.status_code
