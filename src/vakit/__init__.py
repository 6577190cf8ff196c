"""vakit — a freelance virtual assistant's ledger: time entries, appointments and invoices."""

__version__ = "0.1.0"
