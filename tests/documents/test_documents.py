"""A case's documents: refused unless PDF, PNG, JPEG or plain text of at most 10 MB (nothing stored),
sealed at rest under the field keys (and re-sealed on rotation), shown and served only to the case
team, audited on every list and download."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from offramp.access.fieldcrypt import PREFIX, keys_reload, local_key_file
from offramp.access.models import AuditEntry, Consent
from offramp.access.scope import trusted
from offramp.documents import sniff
from offramp.documents.models import Document
from offramp.programs.roles import Role

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\nsigned by Ana Lopez\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 40
TEXT = b"Letter from Harbor House: Ana Lopez has a bed from Monday.\n"


@pytest.fixture
def keyfile():
    path = local_key_file()
    before = path.read_text() if path.exists() else None
    keys_reload()
    yield path
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(before)
    keys_reload()


def _upload(client, case, data, name="scan.pdf", kind="signed_form", **extra):
    url = reverse("documents:upload", args=[case.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data), "kind": kind, **extra})


def _count():
    with trusted("tests"):
        return Document.objects.count()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (TEXT, "text/plain")],
)
def test_it_keeps_each_accepted_type_as_its_bytes_say(world, login, data, content_type):
    client = login(world.users[Role.CASE_MANAGER])
    response = _upload(client, world.own_case, data, name="upload.bin")
    assert response.status_code == 302
    with trusted("tests"):
        document = Document.objects.get()
    assert (document.content_type, document.size, document.content) == (content_type, len(data), data)
    assert document.name == "upload" + sniff.EXTENSIONS[content_type]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 50, "is not a PDF, a PNG or JPEG image, or plain text"),
        (b"<html><script>alert(1)</script>\x00</html>", "is not plain text"),
        (b"PK\x03\x04" + bytes(range(256)), "is not a PDF, a PNG or JPEG image, or plain text"),
        (b"", "The file is empty"),
    ],
    ids=["exe", "text-with-nul", "zip", "empty"],
)
def test_it_refuses_other_files_and_stores_nothing(world, login, data, message):
    client = login(world.users[Role.CASE_MANAGER])
    before = AuditEntry.objects.filter(object_type="Document", action="create").count()
    response = _upload(client, world.own_case, data, name="letter.pdf")  # the name is never believed
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _count() == 0
    assert AuditEntry.objects.filter(object_type="Document", action="create").count() == before


def test_it_refuses_a_file_over_ten_megabytes(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    response = _upload(client, world.own_case, PDF + b"0" * sniff.MAX_BYTES)
    assert response.status_code == 400
    assert "a document may be at most 10 MB" in response.content.decode()
    assert _count() == 0


def test_it_refuses_a_missing_kind_and_a_release_without_its_consent(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    assert _upload(client, world.own_case, PDF, kind="").status_code == 400
    response = _upload(client, world.own_case, PDF, kind="signed_release")
    assert response.status_code == 400
    assert "choose the consent it was signed for" in response.content.decode()
    with trusted("tests"):
        foreign = Consent.objects.get(person=world.foreign_case.person)
    response = _upload(client, world.own_case, PDF, kind="signed_release", consent=str(foreign.pk))
    assert response.status_code == 400
    assert _count() == 0


def test_it_attaches_a_signed_release_to_its_consent(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    with trusted("tests"):
        consent = Consent.objects.get(person=world.own_case.person)
    response = _upload(client, world.own_case, PDF, kind="signed_release", consent=str(consent.pk))
    assert response.status_code == 302
    with trusted("tests"):
        assert list(consent.documents.values_list("kind", flat=True)) == ["signed_release"]
    page = client.get(reverse("documents:case", args=[world.own_case.pk])).content.decode()
    assert "consent to Liaison prosecutor&#x27;s office" in page
    disclosures = client.get(reverse("access:disclosures", args=[world.own_case.pk])).content.decode()
    attach = reverse("documents:case", args=[world.own_case.pk]) + f"?consent={consent.pk}"
    assert f'href="{attach}"' in disclosures
    chosen = client.get(attach).content.decode()
    assert f'<option value="{consent.pk}" selected>' in chosen
    assert '<option value="signed_release" selected>' in chosen


def _raw(document_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, name FROM documents_document WHERE id = %s", [document_id])
        return cursor.fetchone()


def test_it_stores_the_file_sealed_and_rotates_its_key(world, login, keyfile):
    client = login(world.users[Role.CASE_MANAGER])
    _upload(client, world.own_case, PDF, name="Ana Lopez release.pdf")
    with trusted("tests"):
        document = Document.objects.get()
    content, name = _raw(document.pk)
    for stored in (content, name):
        assert stored.startswith(PREFIX)
    assert b"Ana Lopez" not in content.encode() and "Ana" not in name
    assert base64.b64encode(PDF).decode()[:24] not in content
    old_key = content.split(":")[1]
    call_command("keys", "new", "--add-to-local-file")
    keys_reload()
    call_command("keys", "rotate")
    assert _raw(document.pk)[0].split(":")[1] != old_key
    keyfile.write_text(keyfile.read_text().splitlines()[0] + "\n")  # the old key retired
    keys_reload()
    response = client.get(reverse("documents:download", args=[world.own_case.pk, document.pk]))
    assert response.content == PDF


def test_it_serves_a_download_as_an_attachment_never_sniffed(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    _upload(client, world.own_case, TEXT, name="../../etc/<b>letter.txt", kind="letter")
    with trusted("tests"):
        document = Document.objects.get()
    response = client.get(reverse("documents:download", args=[world.own_case.pk, document.pk]))
    assert response.status_code == 200
    assert response.content == TEXT
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="_b_letter.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.object_type, entry.object_id) == ("read", "Document", str(document.pk))
    assert entry.detail["download"] is True


def test_it_audits_the_list(world, login):
    client = login(world.users[Role.CASE_MANAGER])
    _upload(client, world.own_case, PDF)
    response = client.get(reverse("documents:case", args=[world.own_case.pk]))
    assert response.status_code == 200
    assert "scan.pdf" in response.content.decode()
    entry = AuditEntry.objects.order_by("-seq").first()
    listed = f"case:{world.own_case.pk}"
    assert (entry.action, entry.object_type, entry.object_id) == ("list", "Document", listed)


@pytest.mark.parametrize("role", list(Role))
def test_it_serves_documents_to_the_case_team_only(world, login, role):
    manager = login(world.users[Role.CASE_MANAGER])
    _upload(manager, world.own_case, PDF)
    with trusted("tests"):
        document = Document.objects.get()
    client = login(world.users[role])
    on_team = role in (Role.CASE_MANAGER, Role.CASE_SUPERVISOR)
    download = reverse("documents:download", args=[world.own_case.pk, document.pk])
    response = client.get(download)
    assert response.status_code == (200 if on_team else 404)
    assert (response.content == PDF) is on_team
    if not on_team:
        entry = AuditEntry.objects.order_by("-seq").first()
        assert (entry.object_type, entry.outcome) == ("Document", "not_found")
        assert _upload(client, world.own_case, PNG).status_code == 404
        assert _count() == 1


def _status(client, case, document) -> int:
    return client.get(reverse("documents:download", args=[case.pk, document.pk])).status_code


def test_it_hides_another_case_managers_and_another_programs_documents(world, login):
    supervisor = login(world.users[Role.CASE_SUPERVISOR])
    _upload(supervisor, world.other_case, PDF)
    with trusted("tests"):
        document = Document.objects.get()
    manager = login(world.users[Role.CASE_MANAGER])  # not this case's manager
    assert _status(manager, world.other_case, document) == 404
    # The document's id under a case the manager may see does not reach it either.
    assert _status(manager, world.own_case, document) == 404
    outsider = login(world.outsider)  # every role, in the other program
    assert _status(outsider, world.other_case, document) == 404
    assert outsider.get(reverse("documents:case", args=[world.other_case.pk])).status_code == 404
