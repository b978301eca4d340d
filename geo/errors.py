"""One error tree: the CLI turns any GeoError into a one-line message and exit code 2."""

from __future__ import annotations


class GeoError(Exception):
    """Root of every error this project raises on purpose."""

    exit_code = 2


class InputError(GeoError, ValueError):
    """An input file is missing, unreadable, not text, or malformed."""


class GazetteerError(GeoError, RuntimeError):
    """The gazetteer index is missing or corrupt and could not be (re)built."""


class TheatreDataError(GeoError, ValueError):
    """A theatre data file is invalid; the message names file, line and field."""


class ConfigurationError(GeoError, ValueError):
    """A setting or option has an unusable value (unknown geocoder, bad format)."""
