def int_param(value, *, default):
    """A whole number from a query string, or the default when absent or malformed."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
