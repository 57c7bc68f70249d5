from pathlib import Path

import pytest

from mlpivot.bootstrap import check_auth_binding, is_loopback
from mlpivot.config import AuthMode, Settings
from mlpivot.errors import AuthError, UserError


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).resolved_database_url() == f"sqlite:///{tmp_path}/mlpivot.db"


def test_database_url_from_environment_uses_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/x")
    assert Settings().resolved_database_url() == "postgresql+psycopg://u:p@db:5432/x"


def test_config_file_is_read_below_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('port = 9001\nauth = "accounts"\n', encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CONFIG_FILE", str(config))
    assert Settings().port == 9001
    monkeypatch.setenv("MLPIVOT_PORT", "9002")
    assert Settings().port == 9002
    assert Settings().auth is AuthMode.ACCOUNTS


def test_explicit_arguments_win_over_environment_and_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    lines = f'knowledge_dir = "{tmp_path / "from-file"}"\nhost = "::1"\n'
    config.write_text(lines, encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CONFIG_FILE", str(config))
    monkeypatch.setenv("mlpivot_knowledge_dir", str(tmp_path / "from-env"))
    monkeypatch.setenv("MLPIVOT_DATABASE_URL", "postgresql://u@h/db")
    settings = Settings(data_dir=tmp_path)
    assert settings.knowledge_dir == tmp_path / "from-env"
    assert settings.host == "::1"
    assert settings.resolved_database_url() == "postgresql+psycopg://u@h/db"
    assert Settings(knowledge_dir=tmp_path / "given").knowledge_dir == tmp_path / "given"


def test_a_broken_config_file_is_a_plain_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("port = \n", encoding="utf-8")
    monkeypatch.setenv("MLPIVOT_CONFIG_FILE", str(config))
    with pytest.raises(UserError, match=r"config\.toml is not valid TOML"):
        Settings()


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:80", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("evil.example", False),
        ("localhost.evil.example", False),
    ],
)
def test_loopback_detection(host: str, local: bool) -> None:
    assert is_loopback(host) is local


def test_single_user_mode_refuses_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, auth=AuthMode.SINGLE_USER)
    check_auth_binding(settings, "127.0.0.1")
    with pytest.raises(AuthError, match="only listens on this machine"):
        check_auth_binding(settings, "0.0.0.0")
