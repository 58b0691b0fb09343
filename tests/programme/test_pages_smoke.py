import pytest


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_programme_overview_lists_the_five_directions(client, programme, prefix):
    response = client.get(f"{prefix}/programmet/")
    assert response.status_code == 200
    assert len(response.context["viljeinriktningar"]) == 5
