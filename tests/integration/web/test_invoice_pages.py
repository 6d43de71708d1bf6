"""An area admin reads the area's invoices in the pages and downloads one as CSV; nobody
else sees them."""

from __future__ import annotations

import httpx

from tests import factories
from tests.integration.web.helpers import sign_in


async def test_an_admin_lists_opens_and_downloads_an_invoice(client: httpx.AsyncClient) -> None:
    org = await factories.organisation()
    unit = await factories.unit(org, "Kaiku24 etävastaanotto")
    invoice_id = await factories.area_invoice(org, unit)
    await sign_in(client, await factories.area_admin(org))

    listed = await client.get("/invoices")
    assert listed.status_code == 200
    assert f'href="/invoices/{org.id}/{invoice_id}">marraskuu 2026</a>' in listed.text
    assert "Lähetetty, maksamatta" in listed.text and "1\xa0206,00\xa0€" in listed.text

    opened = await client.get(f"/invoices/{org.id}/{invoice_id}")
    assert opened.status_code == 200
    assert "<h1>Lasku: marraskuu 2026</h1>" in opened.text
    assert "<th scope=\"row\">Kaiku24 etävastaanotto</th>" in opened.text
    assert "1\xa0080,00\xa0€" in opened.text and "126,00\xa0€" in opened.text

    csv = await client.get(f"/invoices/{org.id}/{invoice_id}/csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="asta-invoice-2026-11.csv"' in csv.headers["content-disposition"]
    assert csv.text == (
        "month,number,unit,hours,pay_eur,fee_eur,total_eur\r\n"
        "2026-11,ASTA-0001,Kaiku24 etävastaanotto,12.00,1080.00,126.00,1206.00\r\n"
        "2026-11,ASTA-0001,TOTAL,12.00,1080.00,126.00,1206.00\r\n")


async def test_other_areas_and_schedulers_do_not_see_it(client: httpx.AsyncClient) -> None:
    org, other = await factories.organisation(), await factories.organisation()
    invoice_id = await factories.area_invoice(org, await factories.unit(org))
    await sign_in(client, await factories.area_admin(other))
    hidden = await client.get(f"/invoices/{org.id}/{invoice_id}")
    assert hidden.status_code == 404 and "<html" in hidden.text
    assert (await client.get(f"/invoices/{org.id}/{invoice_id}/csv")).status_code == 404
    listed = await client.get("/invoices")
    assert listed.status_code == 200 and str(invoice_id) not in listed.text

    client.cookies.clear()
    await sign_in(client, await factories.scheduler(org))
    refused = await client.get(f"/invoices/{org.id}/{invoice_id}")
    assert refused.status_code == 403 and "<html" in refused.text
