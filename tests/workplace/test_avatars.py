"""Profile photos: no location in them, no guessable name, and only through their view."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve, reverse

from tests.uploads import exif_of, kaart_svg, photo_with_gps, upload
from workplace.models import Employee

pytestmark = pytest.mark.django_db

FILE_CSP = "default-src 'none'; sandbox"


def set_photo(client, data, name="alice.jpg", content_type="image/jpeg"):
    return client.post(
        reverse("edit_profile"),
        {"avatar": upload(name, data, content_type), "language": "nl"},
    )


def test_an_uploaded_photo_loses_its_gps_position_and_gets_a_random_name(client, alice):
    client.force_login(alice)
    response = set_photo(client, photo_with_gps(size=(2000, 1000)), name="alice-claes.jpg")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert "alice" not in alice.avatar.name and "claes" not in alice.avatar.name
    with default_storage.open(alice.avatar.name) as stored:
        seen = exif_of(stored.read())
    assert seen["gps"] == {} and seen["exif"] == {} and "icc_profile" not in seen["info"]
    assert seen["format"] == "JPEG" and max(seen["size"]) == 512


def test_colleagues_see_a_photo_only_through_its_view(client, alice, bob):
    client.force_login(alice)
    set_photo(client, photo_with_gps())
    alice.refresh_from_db()
    client.force_login(bob)
    profile = client.get(alice.get_absolute_url()).content.decode()
    assert f'src="{alice.avatar_url.replace("&", "&amp;")}"' in profile
    response = client.get(alice.avatar_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP
    assert exif_of(b"".join(response.streaming_content))["gps"] == {}
    # The old path under /media/ is gone, for a colleague too: no route serves files.
    assert client.get(f"/media/{alice.avatar.name}").status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/media/{alice.avatar.name}")
    client.logout()
    response = client.get(alice.avatar_url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_former_colleagues_photo_answers_404(client, alice, bob):
    client.force_login(alice)
    set_photo(client, photo_with_gps())
    alice.refresh_from_db()
    client.force_login(bob)
    assert client.get(reverse("avatar", args=["alice"])).status_code == 200  # the control
    Employee.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(reverse("avatar", args=["alice"])).status_code == 404


@pytest.mark.parametrize(
    "name,data,content_type",
    [
        ("kaart.svg", kaart_svg(), "image/svg+xml"),
        ("foto.png", b"<html><script>window.__pwned = true</script></html>", "image/png"),
    ],
    ids=["svg", "html-named-png"],
)
def test_a_photo_that_is_none_is_refused_with_a_dutch_error(
    client, alice, name, data, content_type
):
    client.force_login(alice)
    response = set_photo(client, data, name=name, content_type=content_type)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kies een foto in JPEG, PNG, WebP of GIF." in page or "geen foto" in page
    alice.refresh_from_db()
    assert not alice.avatar


def test_the_replaced_photo_is_deleted_from_disk(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    set_photo(client, photo_with_gps())
    alice.refresh_from_db()
    first = alice.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        set_photo(client, photo_with_gps(size=(30, 30)))
    alice.refresh_from_db()
    assert alice.avatar.name != first
    assert not default_storage.exists(first) and default_storage.exists(alice.avatar.name)


def test_the_profile_form_shows_the_current_photo_through_its_view(client, alice):
    client.force_login(alice)
    set_photo(client, photo_with_gps())
    alice.refresh_from_db()
    page = client.get(reverse("edit_profile"))
    assert page.status_code == 200
    assert alice.avatar_url.replace("&", "&amp;") in page.content.decode()  # the control
    assert alice.avatar.name not in page.content.decode()


def test_an_administrator_upload_passes_the_same_checks(admin_client, alice):
    url = reverse("admin:workplace_employee_change", args=[alice.pk])
    assert admin_client.get(url).status_code == 200
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"avatar", "groups", "user_permissions"}
    }
    data.update(
        {
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "08:00:00",
            "avatar": upload("foto.png", kaart_svg(), "image/png"),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "geen foto" in response.content.decode()
    alice.refresh_from_db()
    assert not alice.avatar
