"""``vakit init`` step by step on a real terminal (a pseudo-terminal), without one, and run again; ``vakit
profile show``."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest

NOW = "2026-11-02T09:00:00+05:30"


class Terminal:
    """``vakit ARGS`` on a pseudo-terminal: :meth:`expect` waits for text, :meth:`type` types a line."""

    def __init__(self, args: list[str], env: dict) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "vakit", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.seen = ""
        self.pos = 0  # where the next expect starts looking

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the other side closed: the process ended
            return False
        self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(chunk)

    def expect(self, text: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while text not in self.seen[self.pos:]:
            if time.monotonic() > end or (not self._read(0.2) and self.proc.poll() is not None):
                raise AssertionError(f"never saw {text!r}; the terminal shows:\n{self.seen}")
        self.pos = self.seen.index(text, self.pos) + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self, timeout: float = 20) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self._read(0.2)
        while self._read(0.1):
            pass
        os.close(self.master)
        return self.proc.wait(timeout=5)


@pytest.fixture
def env(tmp_path):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("VAKIT_", "LC_"))}
    e.update(VAKIT_HOME=str(tmp_path / "home"), VAKIT_NOW=NOW, TZ="Asia/Kolkata", LANG="en_IN.UTF-8",
             COLUMNS="200", NO_COLOR="1")
    return e


def _profile(env) -> dict:
    out = subprocess.run([sys.executable, "-m", "vakit", "profile", "show", "--json"], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)["data"]


def test_init_re_asks_a_bad_answer_and_keeps_the_others(env, tmp_path):
    t = Terminal(["init"], env)
    t.expect("Business name (printed on invoices): ")
    t.type("Asha Deshpande VA")
    t.expect("Country (ISO code, e.g. IN, DE, US) [IN]: ")  # from LANG=en_IN.UTF-8
    t.type("")
    t.expect("Home time zone (IANA, e.g. Asia/Kolkata) [Asia/Kolkata]: ")  # from TZ
    t.type("PHP")  # a typo: a currency, not a zone
    t.expect("  unknown time zone 'PHP' (the time zone of India: Asia/Kolkata)\n")
    t.expect("Home time zone (IANA, e.g. Asia/Kolkata) [Asia/Kolkata]: ", timeout=5)
    assert t.seen.count("Home time zone") == 2
    t.type("")
    t.expect("Home currency (ISO 4217, e.g. INR) [INR]: ")  # India's currency
    t.type("")
    t.expect("Locale for dates and amounts (e.g. en_IN) [en_IN]: ")
    t.type("")
    t.expect("Email (printed on invoices; empty: none): ")
    t.type("asha@example.in")
    t.expect("Postal address")
    t.type("12 MG Road; Pune 411001")
    t.expect("Tax ids")
    t.type("GSTIN=27AAKPD4821M1ZZ")  # a wrong check character
    t.expect("  GSTIN '27AAKPD4821M1ZZ' fails its check character")
    t.expect("Tax ids", timeout=5)
    t.type("GSTIN=27AAKPD4821M1ZK")
    t.expect("How clients pay you")
    t.type("")
    t.expect("Invoice numbers ({year}, {fy}, {month}, {seq:04} …) [INV-{year}-{seq:04}]: ")
    t.type("INV/{fy}/{seq:03}")
    assert t.finish() == 0, t.seen
    assert "Created the profile of Asha Deshpande VA" in t.seen
    assert t.seen.rstrip().endswith('vakit log start --client "Northwind Analytics" "Inbox triage"')
    p = _profile(env)
    assert {k: p[k] for k in ("business_name", "country", "home_tz", "currency", "locale", "email", "address",
                              "tax_ids", "payment_details", "number_pattern")} == {
        "business_name": "Asha Deshpande VA", "country": "IN", "home_tz": "Asia/Kolkata", "currency": "INR",
        "locale": "en_IN", "email": "asha@example.in", "address": "12 MG Road\nPune 411001",
        "tax_ids": [{"label": "GSTIN", "value": "27AAKPD4821M1ZK"}], "payment_details": "",
        "number_pattern": "INV/{fy}/{seq:03}"}


def test_init_again_on_a_terminal_offers_the_current_answers(env):
    subprocess.run([sys.executable, "-m", "vakit", "init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency",
                    "INR"], env=env, check=True, capture_output=True)
    t = Terminal(["init"], env)
    t.expect("Business name (printed on invoices) [Asha]: ")
    t.type("")
    t.expect("Country (ISO code, e.g. IN, DE, US): ")  # none stored: no default offered over it
    t.type("in")
    for prompt in ("[Asia/Kolkata]: ", "[INR]: ", "[en_US]: ", "Email", "Postal address", "Tax ids",
                   "How clients pay you", "[INV-{year}-{seq:04}]: "):
        t.expect(prompt)
        t.type("")
    assert t.finish() == 0, t.seen
    assert "Updated the profile of Asha: country set to IN" in t.seen


def test_without_a_terminal_every_missing_option_is_named_once(cli, tmp_path):
    res = cli("init", "--locale", "en_IN", ok=False)
    assert res.exit_code == 1
    assert res.stderr == ("vakit: missing --name, --tz and --currency (stdin is not a terminal, so give them as "
                          "options, e.g. vakit init --name 'Asha Deshpande VA' --tz Asia/Kolkata --currency INR)\n")
    assert not (tmp_path / "home" / "ledger.sqlite3").exists()


def test_init_again_says_what_changed_or_that_nothing_did(cli):
    cli("init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency", "INR", "--country", "in", now=NOW)
    assert cli("init", now=NOW).stdout == "Nothing changed in the profile of Asha\n"
    assert cli("init", "--currency", "INR", now=NOW).stdout == "Nothing changed in the profile of Asha\n"
    out = cli("init", "--currency", "USD", "--email", "a@b.in", "--address", "1 Road;Pune", now=NOW).stdout
    assert out == "Updated the profile of Asha: currency INR → USD; email set to a@b.in; address set to 1 Road; Pune\n"
    assert cli("init", "--email", "", now=NOW).stdout == "Updated the profile of Asha: email removed\n"
    res = cli("init", "--country", "XX", now=NOW, ok=False)
    assert res.stderr == ("vakit: 'XX' is not an ISO 3166 country code (give two letters, e.g. IN for India, DE for "
                          "Germany, US for the United States)\n")


def test_profile_show_prints_it_as_typed(cli, tmp_path):
    cli("init", "--name", "Asha Deshpande VA", "--tz", "Asia/Kolkata", "--currency", "INR", "--country", "IN",
        "--locale", "en_IN", "--tax-id", "GSTIN=27AAKPD4821M1ZK", "--number-pattern", "INV/{fy}/{seq:03}",
        "--address", "12 MG Road;Pune 411001", now=NOW)
    assert cli("profile", "show", now=NOW).stdout == (
        "business name    Asha Deshpande VA\n"
        "country          IN (India)\n"
        "home zone        Asia/Kolkata (UTC+05:30 now)\n"
        "currency         INR\n"
        "locale           en_IN\n"
        "email            none\n"
        "address          12 MG Road; Pune 411001\n"
        "tax ids          GSTIN=27AAKPD4821M1ZK\n"
        "payment details  none\n"
        "invoice numbers  INV/{fy}/{seq:03}\n"
        "PDF font         none\n"
        f"ledger           {tmp_path / 'home' / 'ledger.sqlite3'}\n")


def test_the_country_prints_in_the_from_block_of_new_invoices(cli, tmp_path):
    cli("init", "--name", "Asha", "--tz", "Asia/Kolkata", "--currency", "INR", "--country", "IN", now=NOW)
    cli("client", "add", "Northwind", "--tz", "America/New_York", "--currency", "USD", "--country", "US", now=NOW)
    cli("contract", "add", "--client", "Northwind", "--rate", "25.00", "--from", "2026-10-01", now=NOW)
    cli("log", "add", "--client", "Northwind", "--from", "2026-10-05 10:00", "--to", "2026-10-05 12:00", "Inbox",
        now=NOW)
    cli("invoice", "create", "--client", "Northwind", "--month", "2026-10", now=NOW)
    cli("invoice", "issue", "#1", now=NOW)
    cli("invoice", "pdf", "INV-2026-0001", "-o", str(tmp_path / "inv.pdf"), now=NOW)
    from pypdf import PdfReader

    text = PdfReader(tmp_path / "inv.pdf").pages[0].extract_text()
    assert "From\nAsha\nIndia\n" in text, text


def test_two_inits_at_once_both_land(env):
    subprocess.run([sys.executable, "-m", "vakit", "init", "--name", "Biz", "--tz", "Asia/Kolkata", "--currency",
                    "INR"], env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    for round_ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "vakit", "init", *opt], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for opt in (("--email", f"a{round_}@x.in"), ("--address", f"Street {round_}"),
                             ("--payment-details", f"UPI {round_}"))]
        assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
        p = _profile(env)
        assert (p["email"], p["address"], p["payment_details"]) == (f"a{round_}@x.in", f"Street {round_}",
                                                                     f"UPI {round_}")


def test_ctrl_c_in_init_says_interrupted_and_creates_nothing(env, tmp_path):
    t = Terminal(["init"], env)
    t.expect("Business name (printed on invoices): ")
    os.kill(t.proc.pid, 2)  # what Ctrl-C sends
    assert t.finish() == 130
    assert t.seen.rstrip().endswith("vakit: interrupted")
    assert not (tmp_path / "home" / "ledger.sqlite3").exists()


def test_a_misspelt_zone_is_refused_with_the_closest_names(cli, tmp_path):
    res = cli("init", "--name", "Lena", "--tz", "Europe/Berln", "--currency", "EUR", ok=False)
    assert res.stderr == "vakit: unknown time zone 'Europe/Berln' (did you mean Europe/Berlin or Europe/Dublin?)\n"
    res = cli("init", "--name", "Lena", "--tz", "europe/berlin", "--currency", "EUR", ok=False)
    assert res.stderr == "vakit: unknown time zone 'europe/berlin' (did you mean Europe/Berlin?)\n"
    assert not (tmp_path / "home" / "ledger.sqlite3").exists()


def test_the_zone_offered_follows_the_country_given():
    from vakit.services.onboarding import zone_of_country

    # Germany keeps one clock (Europe/Busingen with Berlin); the US has several: no guess; the machine's own zone
    # wins when it is one of the country's
    assert [zone_of_country("DE", "Etc/UTC"), zone_of_country("IN", "Etc/UTC"), zone_of_country("US", "Etc/UTC"),
            zone_of_country("US", "America/Chicago"), zone_of_country("", "Asia/Manila")] == [
        "Europe/Berlin", "Asia/Kolkata", None, "America/Chicago", "Asia/Manila"]


def test_a_client_abroad_reads_amounts_as_in_their_country(cli):
    """A VA in India (en_IN) and a Canadian client: $100,000.00 in en_CA, never in lakhs (found by a new user)."""
    cli("init", "--name", "Priya", "--tz", "Asia/Kolkata", "--currency", "INR", "--locale", "en_IN", now=NOW)
    cli("client", "add", "Maple Leaf Bookkeeping", "--country", "CA", "--currency", "CAD", now=NOW)
    cli("client", "add", "Corner Shop", "--country", "IN", now=NOW)
    cli("client", "add", "Nowhere Ltd", now=NOW)
    clients = json.loads(cli("client", "list", "--json", now=NOW).stdout)["data"]
    assert {c["name"]: c["locale"] for c in clients} == {
        "Maple Leaf Bookkeeping": "en_CA", "Corner Shop": "en_IN", "Nowhere Ltd": "en_IN"}
    from vakit.core.money import format_money

    assert format_money(10_000_000, "CAD", "en_CA") == "$100,000.00"
