"""What a browser posts to the story admin's add and change forms: the form's
fields plus the management forms of its four inlines (bylines, sources,
pull-quotes, notes). Tests override what they are about."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from PIL import Image

ADD_URL = reverse_lazy("admin:articles_article_add")
CHANGELIST_URL = reverse_lazy("admin:articles_article_changelist")
INLINE_PREFIXES = ("bylines", "sources", "pull_quotes", "notes")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def inline_rows(prefix, rows, initial=0):
    """Inline formset data: `rows` are dicts of field values, in order."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def article_form(section, *, published_at=None, **fields):
    """The story form as an editor fills it in; `published_at` is an aware datetime
    (split into the admin's date and time inputs), inlines empty unless given."""
    data = {
        "headline": "Harbour wall repairs to start in March",
        "slug": "harbour-wall-repairs",
        "standfirst": "The work will close the north quay for six weeks.",
        "body": "<p>Repairs start in March.</p><p>The quay will close.</p>",
        "section": str(section.pk),
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "comments_open": "on",
    }
    if published_at is not None:
        # The admin reads the inputs in the site's time zone.
        local = timezone.localtime(published_at)
        data["published_at_0"] = f"{local:%Y-%m-%d}"
        data["published_at_1"] = f"{local:%H:%M:%S}"
    for prefix in INLINE_PREFIXES:
        data.update(inline_rows(prefix, []))
    data.update(fields)
    return data


def png_upload(name="picture.png", size=(40, 30)):
    """A real, small PNG as the browser would upload it."""
    output = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(output, "PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def story_as_shown(article, **fields):
    """What a browser posts back from a story's change page: every field and
    inline row as they are now, the version the page was opened at, and
    `fields` over them. Rows are the story's bylines, sources and quotes."""
    article.refresh_from_db()
    data = article_form(
        article.section,
        published_at=article.published_at,
        headline=article.headline,
        slug=article.slug,
        standfirst=article.standfirst,
        body=article.body,
        status=article.status,
        hero_alt=article.hero_alt,
        hero_caption=article.hero_caption,
        hero_credit=article.hero_credit,
        edit_version=str(article.version),
    )
    data["tags"] = [str(pk) for pk in article.tags.values_list("pk", flat=True)]
    rows = {
        "bylines": [
            {"id": b.pk, "article": article.pk, "author": b.author_id, "order": b.order}
            for b in article.bylines.all()
        ],
        "sources": [
            {
                "id": s.pk,
                "article": article.pk,
                "title": s.title,
                "kind": s.kind,
                "url": s.url,
                "published_on": s.published_on or "",
                "publisher": s.publisher,
                "quoted_text": s.quoted_text,
                "archive_url": s.archive_url,
                "order": s.order,
            }
            for s in article.sources.all()
        ],
        "pull_quotes": [
            {
                "id": q.pk,
                "article": article.pk,
                "text": q.text,
                "speaker": q.speaker,
                "speaker_role": q.speaker_role,
                "source": q.source_id or "",
                "after_paragraph": q.after_paragraph,
            }
            for q in article.pull_quotes.all()
        ],
        "notes": [note_row(note) for note in article.notes.all()],
    }
    for prefix, prefix_rows in rows.items():
        data.update(inline_rows(prefix, prefix_rows, initial=len(prefix_rows)))
    if not article.comments_open:
        del data["comments_open"]
    data.update(fields)
    return data


def note_row(note):
    """A note's inline row as the change page shows it."""
    local = timezone.localtime(note.noted_at)
    return {
        "id": note.pk,
        "article": note.article_id,
        "kind": note.kind,
        "text": note.text,
        "noted_at_0": f"{local:%Y-%m-%d}",
        "noted_at_1": f"{local:%H:%M:%S}",
    }
