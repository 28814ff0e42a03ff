"""Distances on the earth, in plain Python so they work the same on SQLite and PostgreSQL."""

import math

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(south, north, west, east): a box holding every point within `miles`, for an indexed prefilter.

    Near the poles or across the antimeridian the box widens to every longitude
    rather than wrapping; the exact distance check that follows removes the extra.
    """
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos = math.cos(math.radians(max(abs(south), abs(north))))
    if cos < 1e-6 or miles / (MILES_PER_DEGREE_LATITUDE * cos) >= 180:
        return south, north, -180.0, 180.0
    dlon = miles / (MILES_PER_DEGREE_LATITUDE * cos)
    west, east = lon - dlon, lon + dlon
    if west < -180 or east > 180:
        return south, north, -180.0, 180.0
    return south, north, west, east


def on_earth(lat, lon) -> bool:
    """Whether a stored point is a real coordinate (HSDS does not bound them; its examples use 100, 101)."""
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
