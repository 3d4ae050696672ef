"""A regional user sees the offices of their region (and its child regions), no other,
and only reads: the overview, the comparison, the offices' dashboards and reports."""
import pytest

from queue_server.models import Counter

from tests.views.helpers import sign_in


def names(rows):
    return sorted(r["name"] for r in rows)


def test_province_user_sees_the_province_and_its_city(client, regions, auth_header):
    headers = auth_header("province_user")
    province = regions["province"].id
    overview = client.get(f"/api/v1/regions/{province}/overview", headers=headers)
    assert overview.status_code == 200
    assert names(overview.json["offices"]) == ["UBND phường Dĩnh Kế", "UBND thị trấn Neo",
                                               "UBND xã Kín"]
    comparison = client.get(f"/api/v1/regions/{province}/comparison?from=2024-03-01"
                            "&to=2024-03-31", headers=headers)
    assert names(comparison.json["offices"]) == names(overview.json["offices"])
    assert client.get(f"/api/v1/regions/{regions['city'].id}/overview",
                      headers=headers).status_code == 200


def test_city_user_sees_no_office_beyond_the_city(client, regions, auth_header):
    headers = auth_header("city_user")
    city = client.get(f"/api/v1/regions/{regions['city'].id}/overview", headers=headers)
    assert names(city.json["offices"]) == ["UBND phường Dĩnh Kế", "UBND xã Kín"]
    for region in (regions["province"], regions["other"]):
        refused = client.get(f"/api/v1/regions/{region.id}/overview", headers=headers)
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "other_region"
        assert client.get(f"/api/v1/regions/{region.id}/comparison?from=2024-03-01"
                          "&to=2024-03-31", headers=headers).status_code == 403
    town = regions["offices"]["town"].id
    assert client.get(f"/api/v1/stats/report?office={town}&from=2024-03-01&to=2024-03-31",
                      headers=headers).status_code == 403
    demo = regions["offices"]["demo"].id
    assert client.get(f"/api/v1/stats/report?office={demo}&from=2024-03-01&to=2024-03-31",
                      headers=headers).status_code == 200


def test_regional_user_reads_dashboards_and_reports_of_the_region_only(client, regions):
    sign_in(client, "city_user")
    demo, town = regions["offices"]["demo"].id, regions["offices"]["town"].id
    page = client.get(f"/region/{regions['city'].id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "UBND phường Dĩnh Kế" in html and "UBND thị trấn Neo" not in html
    assert f'href="/supervisor?office={demo}"' in html  # a click opens the dashboard
    assert client.get(f"/supervisor?office={demo}").status_code == 200
    assert client.get(f"/supervisor/reports?office={demo}").status_code == 200
    assert client.get(f"/supervisor/reports.csv?office={demo}").status_code == 200
    for url in (f"/supervisor?office={town}", f"/supervisor/reports?office={town}",
                f"/region/{regions['province'].id}", f"/region/{regions['other'].id}/comparison"):
        assert client.get(url).status_code == 403, url
    assert client.get("/region").headers["Location"].endswith(f"/region/{regions['city'].id}")


def test_regional_user_acts_nowhere(client, regions, auth_header):
    headers = auth_header("province_user")
    counter = Counter.get(Counter.office == regions["offices"]["demo"]).id
    for method, url in (("post", f"/api/v1/counters/{counter}/call-next"),
                        ("get", "/api/v1/feedback?office=1"),
                        ("get", "/api/v1/printers?office=1"),
                        ("get", "/api/v1/regions"), ("get", "/api/v1/offices")):
        response = getattr(client, method)(url, headers=headers)
        assert response.status_code == 403, url
    sign_in(client, "province_user")
    assert client.get("/counter").status_code == 403
    assert client.get("/admin").status_code == 403
    assert client.get("/supervisor/feedback?office=1").status_code == 403


def test_supervisor_compares_only_their_own_office(client, regions, auth_header):
    headers = auth_header("supervisor")  # the demo office's, in the city
    city = client.get(f"/api/v1/regions/{regions['city'].id}/comparison?from=2024-03-01"
                      "&to=2024-03-31", headers=headers)
    assert city.status_code == 200
    assert names(city.json["offices"]) == ["UBND phường Dĩnh Kế"]
    assert client.get(f"/api/v1/regions/{regions['other'].id}/overview",
                      headers=headers).status_code == 403
    assert client.get(f"/api/v1/regions/{regions['city'].id}/overview",
                      headers=headers).json["offices"][0]["name"] == "UBND phường Dĩnh Kế"


@pytest.mark.parametrize("body,status,code", [
    ({"name": "X", "parent": 2}, 409, "region_too_deep"), ({"name": " "}, 400, "bad_region_name"),
    ({"name": "X", "parent": 77}, 404, "not_found")])
def test_regions_nest_one_level(client, regions, auth_header, body, status, code):
    assert regions["city"].id == 2 and regions["city"].parent_id == regions["province"].id
    response = client.post("/api/v1/regions", json=body, headers=auth_header("admin"))
    assert (response.status_code, response.json["error"]["code"]) == (status, code)


def test_admin_puts_an_office_in_a_region(client, regions, auth_header):
    headers = auth_header("admin")
    town = regions["offices"]["town"].id
    moved = client.patch(f"/api/v1/offices/{town}", json={"region": regions["other"].id},
                         headers=headers)
    assert moved.status_code == 200 and moved.json["region"] == regions["other"].id
    listed = {o["id"]: o["region"] for o in client.get("/api/v1/offices",
                                                        headers=headers).json}
    assert listed[town] == regions["other"].id
    other = client.get(f"/api/v1/regions/{regions['other'].id}/overview",
                       headers=auth_header("other_user"))
    assert "UBND thị trấn Neo" in names(other.json["offices"])
    assert client.patch(f"/api/v1/offices/{town}", json={"region": 999},
                        headers=headers).status_code == 404
