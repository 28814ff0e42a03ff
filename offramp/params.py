"""Reading values from a request's query string; plain Python, used by every app's views."""


def int_param(value, *, default):
    """A whole number from a query string, or the default when absent or malformed."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
