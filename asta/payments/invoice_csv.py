"""An area invoice as CSV for the area's bookkeeping: an item per unit and the total.

Column names and numbers are machine-readable (euros with a point, as accounting imports
expect) in every language, like the audit log's CSV; cells that a spreadsheet would run as
a formula are quoted.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from litestar import Response

from asta.payments.schemas import InvoiceRead

COLUMNS = ["month", "number", "unit", "hours", "pay_eur", "fee_eur", "total_eur"]


def _euros(cents: object) -> str:
    return f"{Decimal(int(str(cents))) / 100:.2f}"


def _cell(text: str) -> str:
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def invoice_csv(invoice: InvoiceRead) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    month, number = invoice.month.strftime("%Y-%m"), invoice.number or ""
    for line in invoice.lines:
        writer.writerow([month, number, _cell(str(line.get("unit_name", ""))),
                         f"{float(str(line.get('hours', 0))):.2f}",
                         _euros(line.get("pay_cents", 0)), _euros(line.get("fee_cents", 0)),
                         _euros(line.get("total_cents", 0))])
    writer.writerow([month, number, "TOTAL", f"{invoice.hours:.2f}", _euros(invoice.pay_cents),
                     _euros(invoice.fee_cents), _euros(invoice.total_cents)])
    return buffer.getvalue()


def csv_download(invoice: InvoiceRead) -> Response[str]:
    """The CSV as a file to save, named after the area's month."""
    name = f"asta-invoice-{invoice.month:%Y-%m}.csv"
    return Response(invoice_csv(invoice), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})
