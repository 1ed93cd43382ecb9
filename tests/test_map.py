"""Facts about the built west Hunan map (scenarios/west_hunan_1945/map.json)."""
from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from engine.map import build as mapbuild
from engine.map.hexgrid import great_circle_km
from engine.map.hexmap import HexMap

MAP_PATH = mapbuild.DEFAULT_OUT
REFERENCE = mapbuild.DEFAULT_REFERENCE


def needs_reference(test):
    """Tests that rebuild the map need ../shared/reference beside the checkout: fail, never skip."""
    def wrapped(*args, **kwargs):
        assert (REFERENCE / mapbuild.DEM_FILE).exists(), (
            f"the shared reference data is expected at {REFERENCE} (beside the checkout)")
        return test(*args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = test.__name__, test.__doc__
    import inspect
    wrapped.__signature__ = inspect.signature(test)
    return wrapped
LOWLAND = {0, 1}  # plain, hills
MOUNTAIN = {2, 3}  # mountain, high mountain


@pytest.fixture(scope="module")
def m() -> HexMap:
    return HexMap.load(MAP_PATH)


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(MAP_PATH.read_text(encoding="utf-8"))


def hx(m: HexMap, key: str) -> int:
    return m.places[key].hex


# ------------------------------------------------------------------------------ shape
def test_arrays_follow_the_conventions(m):
    n = m.grid.count
    assert (m.grid.ncols, m.grid.nrows) == (67, 59)
    assert m.grid.width == pytest.approx(5.5)
    assert m.terrain_names == ("plain", "hills", "mountain", "high_mountain")
    for name, dtype, shape in [("terrain", np.uint8, (n,)), ("nbr", np.int32, (n, 6)), ("river", np.uint8, (n, 6)),
                               ("road", np.bool_, (n, 6))]:
        a = getattr(m, name)
        assert a.dtype == dtype and a.shape == shape, name
    for name in ("elevation_m", "relief_m", "x_km", "y_km", "lat", "lon"):
        assert getattr(m, name).shape == (n,), name
    assert np.array_equal(m.nbr, m.grid.neighbour_table())


def test_box_is_covered(m):
    assert m.lat.min() < 26.25 and m.lat.max() > 28.65
    assert m.lon.min() < 109.35 and m.lon.max() > 112.95


def test_sides_are_symmetric(m):
    ok = m.nbr >= 0
    back = (np.arange(6) + 3) % 6
    nb = np.where(ok, m.nbr, 0)
    assert np.array_equal(np.where(ok, m.river[nb, back], 0), m.river)
    assert np.array_equal(np.where(ok, m.road[nb, back], False), m.road)




# ------------------------------------------------------------------------------ terrain
def test_yuan_valley_towns_are_lowland(m):
    for key in ("zhijiang", "zhijiang_airfield", "anjiang", "hongjiang", "huaihua_yushuwan", "qianyang_qiancheng"):
        assert m.terrain[hx(m, key)] in LOWLAND, key


def test_xiang_and_zi_lowlands_are_plain(m):
    for key in ("changsha", "xiangtan", "hengyang", "yiyang", "xiangxiang", "shaoyang", "loudi"):
        assert m.terrain_code(hx(m, key)) == "P", key
    east = m.lon > 112.3
    assert (m.terrain[east] == 0).mean() > 0.8


def test_row_from_anjiang_to_shaoyang_crosses_mountains(m):
    row = hx(m, "anjiang") // m.grid.ncols
    c0, c1 = hx(m, "anjiang") % m.grid.ncols, hx(m, "shaoyang") % m.grid.ncols
    assert any(m.terrain[row * m.grid.ncols + c] in MOUNTAIN for c in range(c0 + 1, c1))


def test_xuefeng_is_a_continuous_barrier(m):
    """Between 26.75 and 28.0 N no chain of plain/hill hexes joins the Yuan valley to the Shaoyang basin."""
    band = np.isin(m.terrain, list(LOWLAND)) & (m.lat >= 26.75) & (m.lat <= 28.0)
    src, d = np.nonzero(m.nbr >= 0)
    dst = m.nbr[src, d]
    ok = band[src] & band[dst]
    _, label = connected_components(csr_matrix((np.ones(ok.sum()), (src[ok], dst[ok])), shape=(m.count,) * 2),
                                    directed=False)
    west = {label[hx(m, k)] for k in ("zhijiang", "anjiang", "hongjiang", "huaihua_yushuwan")}
    east = {label[hx(m, k)] for k in ("shaoyang", "dongkou", "longhui_taohuaping", "wugang")}
    assert not west & east


def test_crest_on_the_zhijiang_shaoyang_profile(m):
    h = m.hex_at_latlon(27.35, 110.59)
    assert m.terrain[h] in MOUNTAIN and m.elevation_m[h] > 800
    assert m.terrain_code(hx(m, "xuefeng_subaoding")) == "X"


def test_high_mountain_threshold(m, raw):
    x_elev = raw["meta"]["terrain_thresholds_m"]["x_elev"]
    assert x_elev == 1300
    assert np.array_equal(m.terrain == 3, m.elevation_m >= x_elev)


# ------------------------------------------------------------------------------ distance, places
def test_shaoyang_zhijiang_distance(m):
    a, b = m.places["shaoyang"], m.places["zhijiang"]
    gc = great_circle_km(a.lat, a.lon, b.lat, b.lon)
    assert abs(m.km_between(a.hex, b.hex) - gc) < 0.05 * gc


@needs_reference
def test_every_reference_place_in_the_box_is_on_the_map(m):
    box = mapbuild.BBOX
    with open(REFERENCE / mapbuild.PLACES_FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        if box["lat_min"] <= lat <= box["lat_max"] and box["lon_min"] <= lon <= box["lon_max"]:
            p = m.places[row["key"]]
            assert (p.name_en, p.name_zh, p.kind) == (row["name_en"], row["name_zh"], row["kind"])
            assert p.hex == m.hex_at_latlon(lat, lon)
            assert m.km_between(p.hex, p.hex) == 0 and great_circle_km(lat, lon, *m.latlon(p.hex)) < 3.3


def test_latlon_and_hex_at_latlon_agree(m):
    for h in (0, 1234, m.count - 1):
        assert m.hex_at_latlon(*m.latlon(h)) == h
    assert m.hex_at_latlon(20.0, 100.0) == -1


# ------------------------------------------------------------------------------ rivers and roads
def test_major_river_beside_anjiang_and_hongjiang(m):
    for key in ("anjiang", "hongjiang", "qianyang_qiancheng", "xiangtan", "shaoyang"):
        assert (m.river[hx(m, key)] == 2).any(), key


def test_river_lines_for_drawing(m):
    keys = {r["key"] for r in m.river_lines}
    assert {"yuan", "zi", "xiang", "wu_wushui_zhijiang"} <= keys
    assert all(r["major"] for r in m.river_lines if r["key"] in mapbuild.MAJOR_RIVERS)


def test_roads_are_connected_hex_paths(m):
    for key, r in m.roads.items():
        hexes = r["hexes"]
        for a, b in zip(hexes[:-1], hexes[1:]):
            d = list(m.nbr[a]).index(b)
            assert m.road[a, d], (key, a, b)


def test_shao_yu_highway(m):
    hexes = m.roads["shao_yu"]["hexes"]
    assert hexes[0] == hx(m, "shaoyang") and hexes[-1] == hx(m, "huaihua_yushuwan")
    for key in ("longhui_taohuaping", "dongkou", "jiangkou", "anjiang"):
        assert hx(m, key) in hexes, key
    over_xuefeng = hexes[:hexes.index(hx(m, "anjiang"))]
    assert any(m.terrain[h] in MOUNTAIN for h in over_xuefeng)
    assert {"heng_bao", "tan_bao", "yu_zhi", "zhijiang_airfield"} <= set(m.roads)


# ------------------------------------------------------------------------------ build and validation
@needs_reference
def test_build_is_reproducible(raw):
    built = mapbuild.build_map(REFERENCE, mapbuild.DEFAULT_ROADS)
    assert json.loads(json.dumps(built)) == raw
    assert mapbuild.dumps_map(built) == MAP_PATH.read_text(encoding="utf-8")


@needs_reference
def test_main_writes_the_same_bytes(tmp_path):
    out = tmp_path / "map.json"
    assert mapbuild.main(["--out", str(out)]) == 0
    assert out.read_bytes() == MAP_PATH.read_bytes()


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.pop("terrain"), "terrain"),
    (lambda d: d["elevation_m"].pop(), "elevation_m"),
    (lambda d: d["relief_m"][3].append(1), "relief_m"),
    (lambda d: d["terrain"].__setitem__(0, "Q" + d["terrain"][0][1:]), "terrain"),
    (lambda d: d.pop("ncols"), "ncols"),
    (lambda d: d.pop("terrain_codes"), "terrain_codes"),
    (lambda d: d["terrain_codes"].__setitem__("XX", "swamp"), "terrain_codes"),
    (lambda d: d["places"][0].pop("hex"), "places[0]"),
    (lambda d: d["meta"].pop("projection"), "meta.projection"),
])
def test_malformed_map_names_file_and_field(raw, tmp_path, mutate, field):
    d = copy.deepcopy(raw)
    mutate(d)
    path = tmp_path / "broken_map.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        HexMap.load(path)
    assert str(path) in str(exc.value) and f"'{field}'" in str(exc.value)


def test_invalid_json_names_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        HexMap.load(path)


def test_render_png(m, tmp_path):
    from engine.map.render import render_map_png

    out = render_map_png(m, tmp_path / "map.png", width_px=600, units=[{"hex": hx(m, "zhijiang"), "side": "china",
                                                                          "label": "74A"}])
    assert Path(out).stat().st_size > 10_000
