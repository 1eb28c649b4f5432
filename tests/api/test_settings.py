from pathlib import Path

import pytest

from api.settings import TABLE, Settings, public_values


def test_every_setting_is_documented():
    names = [name for name, _, _ in TABLE]
    assert "query_timeout" in names and "max_rows" in names and "allow_service" in names
    for name, default, help in TABLE:
        assert len(help) > 20, name


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("KG_ALLOW_SERVICE", "yes")
    monkeypatch.setenv("KG_CORS_ORIGINS", "https://a.example, https://b.example")
    s = Settings()
    assert s.query_timeout == 2.5 and s.allow_service is True
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert Settings(query_timeout=1).query_timeout == 1  # arguments beat the environment


def test_writable_copy_defaults_under_var(tmp_path):
    assert Settings(var_dir=tmp_path).writable_dir == tmp_path / "writable"
    assert Settings(var_dir=tmp_path, writable_dir=Path("/x")).writable_dir == Path("/x")


@pytest.mark.parametrize("values, ok", [
    ({"writable": True}, True),  # loopback: no token needed
    ({"writable": True, "host": "0.0.0.0"}, False),
    ({"writable": True, "host": "0.0.0.0", "token": "s3cret"}, True),
    ({"writable": True, "workers": 2}, False),
    ({"query_timeout": 0}, False),
])
def test_check(values, ok):
    s = Settings(**values)
    if ok:
        s.check()
    else:
        with pytest.raises(ValueError):
            s.check()


def test_public_values_hide_the_token():
    assert public_values(Settings(token="s3cret"))["token"] == "(set)"
    assert "s3cret" not in str(public_values(Settings(token="s3cret")))


def test_every_setting_is_in_the_server_docs():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "server.md").read_text()
    for name, _, _ in TABLE:
        assert f"`{name}`" in docs, f"setting {name} is missing from docs/server.md"
