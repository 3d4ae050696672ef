"""A province with a city, offices in each and one elsewhere, and their regional users."""
import pytest

from queue_server.models import Office

from tests import factories
from tests.regions import helpers


@pytest.fixture
def regions(app, office):
    """{"province", "city", "other", "offices": {name: Office}} with regional users
    ``province_user`` (the province), ``city_user`` (the city) and ``other_user``."""
    province = helpers.region("Tỉnh Bắc Giang")
    city = helpers.region("TP Bắc Giang", parent=province)
    other = helpers.region("Tỉnh Lạng Sơn")
    Office.update(region=city, public_stats=True).where(Office.id == office.id).execute()
    offices = {"demo": Office.get_by_id(office.id),
               "town": helpers.new_office("UBND thị trấn Neo", region=province, public=True),
               "hidden": helpers.new_office("UBND xã Kín", region=city, public=False),
               "elsewhere": helpers.new_office("UBND phường Đông Kinh", region=other,
                                               public=True)}
    for name, region in (("province_user", province), ("city_user", city),
                         ("other_user", other)):
        factories.accounts.create_user(name, factories.PASSWORD, "regional", region=region)
    return {"province": province, "city": city, "other": other, "offices": offices}
