"""Places: an offline GeoNames gazetteer, toponym resolution and event locations."""

from eventwire.resolve.places.annotate import annotate_places, find_dateline
from eventwire.resolve.places.build import build_gazetteer
from eventwire.resolve.places.gazetteer import Gazetteer, gazetteer_path, open_gazetteer
from eventwire.resolve.places.location import event_location, place_focus
from eventwire.resolve.places.rank import country_place, resolve_place

__all__ = [
    "Gazetteer",
    "annotate_places",
    "build_gazetteer",
    "country_place",
    "event_location",
    "find_dateline",
    "gazetteer_path",
    "open_gazetteer",
    "place_focus",
    "resolve_place",
]
