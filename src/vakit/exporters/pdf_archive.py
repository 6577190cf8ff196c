"""What renderer 2 adds to a PDF (:data:`vakit.core.invoices.RENDERER`): PDF/A-3B, deterministic metadata, a
subset name per font style, and a Factur-X XML for e-invoices.

- PDF/A-3B (ISO 19005-3, conformance B) through fpdf2's compliance mode: every font embedded, an sRGB output
  intent, and XMP metadata, which vakit writes itself so that no clock enters it (fpdf2's own XMP stamps the
  modification time from the clock): created, modified and metadata dates are all the document's date.
- Producer ``vakit (PDF renderer 2)``: names the layout, not a version, so the bytes stay the same across
  upgrades that leave the layout alone.
- Each embedded font subset has its own name (``NotoSans-Regular``, ``NotoSans-Bold``): fpdf2 names a subset
  after the font's full name, which the static instances of a variable font share.
- Factur-X: the XML is embedded as ``factur-x.xml`` with the AFRelationship ``Alternative`` (Factur-X 1.0 for
  the EN 16931 profile), and the XMP carries the ``fx`` properties with their PDF/A extension schema.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from html import escape
from typing import Any

PRODUCER = "vakit (PDF renderer 2)"
COMPLIANCE = "PDF/A-3B"
FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

_FX_SCHEMA = """
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>{props}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>"""
_FX_PROP = """
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>{name}</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>{desc}</pdfaProperty:description>
                </rdf:li>"""
_FX_PROPS = (("DocumentFileName", "The name of the embedded XML document"),
             ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
             ("Version", "The actual version of the standard applying to the embedded XML document"),
             ("ConformanceLevel", "The conformance level of the embedded XML document"))


def stamp_time(stamp: date) -> datetime:
    """The document's date as the instant its metadata name: 00:00 UTC that day."""
    return datetime.combine(stamp, time(0, 0), tzinfo=timezone.utc)


def xmp(*, title: str, author: str, subject: str, stamp: date, lang: str, facturx: bool) -> str:
    """The XMP packet body (``x:xmpmeta``) of a renderer-2 PDF: Dublin Core title/creator/description, the
    dates (all ``stamp``), the Producer, PDF/A-3B identification and, with ``facturx``, the Factur-X properties
    and their extension schema. Text is XML-escaped; the result depends on its arguments only."""
    when = stamp_time(stamp).isoformat()
    e = lambda s: escape(s, quote=True)  # noqa: E731
    fx = ""
    if facturx:
        props = "".join(_FX_PROP.format(name=n, desc=d) for n, d in _FX_PROPS)
        fx = f"""
    <rdf:Description rdf:about="" xmlns:fx="{FX_NS}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
    </rdf:Description>{_FX_SCHEMA.format(ns=FX_NS, props=props)}"""
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>
      <dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>vakit</xmp:CreatorTool>
      <xmp:CreateDate>{when}</xmp:CreateDate>
      <xmp:ModifyDate>{when}</xmp:ModifyDate>
      <xmp:MetadataDate>{when}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>{PRODUCER}</pdf:Producer>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>{fx}
  </rdf:RDF>
</x:xmpmeta>"""


def name_subsets(pdf: Any) -> None:
    """Give each font registered on ``pdf`` a subset name of its own, ``{name}-{Regular|Bold|…}``, from the
    style fpdf2 keys it by (``notosansB``: the family lowercased, then the style's capitals)."""
    words = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
    for key, font in pdf.fonts.items():
        style = key[len(key.rstrip("BI")):]
        font.name = f"{font.name.split('-')[0]}-{words.get(style, style)}"


def embed_facturx(pdf: Any, xml: bytes, stamp: date) -> None:
    """Embed the Factur-X ``xml`` in ``pdf`` as ``factur-x.xml`` (AFRelationship Alternative, text/xml), dated
    ``stamp``."""
    when = stamp_time(stamp)
    pdf.embed_file(bytes=xml, basename="factur-x.xml", mime_type="text/xml", associated_file_relationship="Alternative",
                   desc="Factur-X invoice (EN 16931)", creation_date=when, modification_date=when)


def embed_supplement(pdf: Any, name: str, data: bytes, mime: str, stamp: date) -> None:
    """Embed a file that supports the document (a receipt) as ``name``: AFRelationship Supplement, dated
    ``stamp``."""
    when = stamp_time(stamp)
    pdf.embed_file(bytes=data, basename=name, mime_type=mime, associated_file_relationship="Supplement",
                   desc="Receipt", creation_date=when, modification_date=when)
