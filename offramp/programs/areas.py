"""A program's own areas (precincts, beats, neighbourhoods) by name, each at a point: the lines of the
`areas` setting read and written back. Plain functions, no database."""

import re

from django.core.exceptions import ValidationError

NAME_MAX = 64  # as a referral's area (referrals.Referral.area)
ERR_POINT = '{label}: line {line}: "{value}" is not a latitude and longitude, e.g. 47.61, -122.33.'
ERR_OFF_EARTH = "{label}: line {line}: the latitude runs from -90 to 90 and the longitude from -180 to 180."
ERR_NAME_TOO_LONG = '{label}: line {line}: the name "{name}" is longer than {high} characters.'
ERR_SAME_NAME = '{label}: "{name}" is named twice.'
_POINT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$")


def areas_parse(label: str, lines: list[tuple[int, str, str]]) -> dict[str, list[float]]:
    """(line number, name, "latitude, longitude") -> {name: [latitude, longitude]}; names differ in more
    than case, as a search matches them whatever the case."""
    areas: dict[str, list[float]] = {}
    seen: set[str] = set()
    for number, name, value in lines:
        if len(name) > NAME_MAX:
            raise ValidationError(
                ERR_NAME_TOO_LONG.format(label=label, line=number, name=name, high=NAME_MAX)
            )
        if name.casefold() in seen:
            raise ValidationError(ERR_SAME_NAME.format(label=label, name=name))
        seen.add(name.casefold())
        match = _POINT.match(value)
        if not match:
            raise ValidationError(ERR_POINT.format(label=label, line=number, value=value))
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(ERR_OFF_EARTH.format(label=label, line=number))
        areas[name] = [lat, lon]
    return areas


def areas_text(areas: dict[str, list[float]]) -> str:
    return "\n".join(f"{name} = {lat:g}, {lon:g}" for name, (lat, lon) in areas.items())
