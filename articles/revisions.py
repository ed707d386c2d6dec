"""A story's revisions and its edit conflicts (issue 17).

Storage is django-reversion's: a `Revision` (who, when, the one-line
summary) holding a `Version` of the story and of every row a reader sees with
it (bylines, sources, pull-quotes, and the section, tags and authors, so that
their names survive their deletion). Only reversion's storage is used:
revisions are recorded here, explicitly (`record_revision`: the admin's save,
the publishing verbs, a restore), and restored here through the models'
normal saves. Reversion's own revert saves rows raw, which would skip
`Article.save()` and `Byline.save()` (the bylines' copies of the story's
status, the old addresses, the purges) and put the old status back.

Who may restore is decided in articles/publishing.py (`restore_version`),
like every other change of a story's state; this module does not check it.

Edit conflicts: every save moves `Article.version` on (Article.save). The
admin form carries the number it was opened at; `find_conflict` compares it
with the row, locked until the save commits, so two saves cannot both pass.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from .diff import Snapshot, body_text, compare, summarise
from .models import (
    Article,
    Author,
    Byline,
    OpenedStory,
    PullQuote,
    Section,
    Source,
    StoryNote,
    Tag,
)

# What a revision keeps of the story itself: the fields the issue lists
# (not the slug, which is its address, nor the lead flag or responses switch).
ARTICLE_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "section",
    "tags",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "status",
    "published_at",
]
# Restored as they were; the section, tags and picture only if they still exist.
PLAIN_FIELDS = ["headline", "standfirst", "body", "hero_alt", "hero_caption", "hero_credit"]
SOURCE_FIELDS = [
    "title",
    "kind",
    "url",
    "published_on",
    "publisher",
    "quoted_text",
    "archive_url",
    "order",
]
QUOTE_FIELDS = ["text", "speaker", "speaker_role", "source", "after_paragraph"]
# Notes are recorded (a change to one shows in History) but a restore leaves
# them as they are: the public record is never rewritten (issue 18 §1).
NOTE_FIELDS = ["kind", "text", "noted_at", "amended_at", "withdrawn_at"]


def register_models():
    """Called once, from ArticlesConfig.ready()."""
    reversion.register(
        Article,
        fields=ARTICLE_FIELDS,
        follow=["bylines", "sources", "pull_quotes", "notes", "section", "tags"],
    )
    reversion.register(Byline, fields=["article", "author", "order"], follow=["author"])
    reversion.register(Source, fields=["article", *SOURCE_FIELDS])
    reversion.register(PullQuote, fields=["article", *QUOTE_FIELDS])
    reversion.register(StoryNote, fields=["article", *NOTE_FIELDS])
    for model in (Section, Tag, Author):
        reversion.register(model, fields=["name", "slug"])


# --- Snapshots: a story as people read it (articles/diff.py compares them) ---------


def time_label(moment):
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _story_fields(values, *, section, tags, byline):
    status = values.get("status") or ""
    hero = values.get("hero_image")
    return {
        "headline": values.get("headline") or "",
        "standfirst": values.get("standfirst") or "",
        "body": body_text(values.get("body")),
        "section": section,
        "tags": ", ".join(sorted(tags)),
        "byline": ", ".join(byline),
        "hero_image": getattr(hero, "name", hero) or "",
        "hero_alt": values.get("hero_alt") or "",
        "hero_caption": values.get("hero_caption") or "",
        "hero_credit": values.get("hero_credit") or "",
        "status": dict(Article.Status.choices).get(status, status),
        "published_at": time_label(values.get("published_at")),
    }


def _source_row(values):
    published_on = values.get("published_on")
    kind = values.get("kind") or ""
    return {
        "title": values.get("title") or "",
        "kind": dict(Source._meta.get_field("kind").choices or []).get(kind, kind),
        "url": values.get("url") or "",
        "published_on": published_on.isoformat() if published_on else "",
        "publisher": values.get("publisher") or "",
        "quoted_text": values.get("quoted_text") or "",
        "archive_url": values.get("archive_url") or "",
    }


def _quote_row(values, source_title):
    after = values.get("after_paragraph")
    return {
        "text": values.get("text") or "",
        "speaker": values.get("speaker") or "",
        "speaker_role": values.get("speaker_role") or "",
        "source": source_title or "",
        "after_paragraph": "" if after is None else str(after),
    }


def _note_row(values):
    kind = values.get("kind") or ""
    state = ""
    if values.get("withdrawn_at"):
        state = f"withdrawn {time_label(values['withdrawn_at'])}"
    elif values.get("amended_at"):
        state = f"amended {time_label(values['amended_at'])}"
    return {
        "text": values.get("text") or "",
        "kind": dict(StoryNote.Kind.choices).get(kind, kind),
        "noted_at": time_label(values.get("noted_at")),
        "state": state,
    }


def _row_values(obj, names):
    return {name: getattr(obj, name) for name in names}


def snapshot_of(article):
    """The story as it is in the database now."""
    sources = list(article.sources.order_by("order", "pk"))
    titles = {source.pk: source.title for source in sources}
    own_fields = [name for name in ARTICLE_FIELDS if name not in ("section", "tags")]
    values = _row_values(article, own_fields)
    return Snapshot(
        fields=_story_fields(
            values,
            section=article.section.name if article.section_id else "",
            tags=[tag.name for tag in article.tags.all()],
            byline=[
                byline.author.name
                for byline in article.bylines.select_related("author").order_by("order", "pk")
            ],
        ),
        sources=[_source_row(_row_values(source, SOURCE_FIELDS)) for source in sources],
        quotes=[
            _quote_row(_row_values(quote, QUOTE_FIELDS), titles.get(quote.source_id))
            for quote in article.pull_quotes.order_by("after_paragraph", "pk")
        ],
        notes=[_note_row(_row_values(note, NOTE_FIELDS)) for note in article.notes.all()],
    )


def snapshot_of_form(form, formsets):
    """The story as a submitted admin form has it (valid or not): what the
    editor typed, for the conflict page's diff."""
    typed = getattr(form, "cleaned_data", {})
    values = {
        name: typed[name] if name in typed else getattr(form.instance, name, None)
        for name in ARTICLE_FIELDS
        if name not in ("section", "tags")
    }
    section = typed.get("section") or (form.instance.section if form.instance.section_id else None)
    tags = typed["tags"] if "tags" in typed else form.instance.tags.all()
    rows = {formset.model: _formset_rows(formset) for formset in formsets}
    bylines = sorted(rows.get(Byline, []), key=lambda row: row.get("order") or 0)
    sources = sorted(rows.get(Source, []), key=lambda row: row.get("order") or 0)
    quotes = sorted(rows.get(PullQuote, []), key=lambda row: row.get("after_paragraph") or 0)
    notes = [
        {**_row_values(row["id"], NOTE_FIELDS), **row} if row.get("id") else row
        for row in rows.get(StoryNote, [])
    ]
    return Snapshot(
        fields=_story_fields(
            values,
            section=section.name if section else "",
            tags=[tag.name for tag in tags],
            byline=[row["author"].name for row in bylines if row.get("author")],
        ),
        sources=[_source_row(row) for row in sources],
        quotes=[
            _quote_row(row, row["source"].title if row.get("source") else "") for row in quotes
        ],
        notes=[_note_row(row) for row in notes],
    )


def _formset_rows(formset):
    return [
        form.cleaned_data
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


@dataclass
class StoredStory:
    """A revision's rows for one story, as field dicts (attnames: section_id)."""

    story: dict
    bylines: list = field(default_factory=list)
    sources: list = field(default_factory=list)  # (old pk, fields)
    quotes: list = field(default_factory=list)  # (old pk, fields)
    notes: list = field(default_factory=list)  # fields
    names: dict = field(default_factory=dict)  # model -> {pk: name}


def stored_story(article_id, revision):
    by_model = defaultdict(list)
    for version in revision.version_set.select_related("content_type"):
        by_model[version.content_type.model_class()].append(version)
    story = next(
        (
            version.field_dict
            for version in by_model[Article]
            if version.object_id == str(article_id)
        ),
        None,
    )
    if story is None:
        # revision_of() hands out only the story's own revisions.
        raise LookupError(f"revision {revision.pk} holds no version of story {article_id}")
    rows = {
        model: sorted(
            ((int(version.object_id), version.field_dict) for version in by_model[model]),
            key=lambda row: (row[1].get(order, 0) or 0, row[0]),
        )
        for model, order in (
            (Byline, "order"),
            (Source, "order"),
            (PullQuote, "after_paragraph"),
            (StoryNote, "noted_at"),
        )
    }
    return StoredStory(
        story=story,
        bylines=[values for _, values in rows[Byline]],
        sources=rows[Source],
        quotes=rows[PullQuote],
        notes=[values for _, values in rows[StoryNote]],
        names={
            model: {
                int(version.object_id): version.field_dict["name"] for version in by_model[model]
            }
            for model in (Section, Tag, Author)
        },
    )


def _name(stored, model, pk, existing):
    if pk in stored.names[model]:
        return stored.names[model][pk]
    return existing.get(pk, f"(deleted {model._meta.verbose_name})")


def snapshot_of_stored(stored, *, keep=None):
    """A revision as people read it. With `keep` (the story now, a
    Snapshot), the revision as a restore would make it: what no longer exists
    and the status and time are taken from `keep` (see `missing_parts`)."""
    story = stored.story
    live = _existing(stored) if keep is not None else None
    section = _name(stored, Section, story.get("section_id"), {})
    tag_ids = story.get("tags") or []
    author_ids = [row["author_id"] for row in stored.bylines]
    if keep is not None:
        tag_ids = [pk for pk in tag_ids if pk in live[Tag]]
        author_ids = [pk for pk in author_ids if pk in live[Author]]
    titles = {pk: values["title"] for pk, values in stored.sources}
    snapshot = Snapshot(
        fields=_story_fields(
            story,
            section=section,
            tags=[_name(stored, Tag, pk, {}) for pk in tag_ids],
            byline=[_name(stored, Author, pk, {}) for pk in author_ids],
        ),
        sources=[_source_row(values) for _, values in stored.sources],
        quotes=[
            _quote_row(values, titles.get(values.get("source_id"))) for _, values in stored.quotes
        ],
        notes=[_note_row(values) for values in stored.notes],
    )
    if keep is not None:
        if story.get("section_id") not in live[Section]:
            snapshot.fields["section"] = keep.fields["section"]
        if not _picture_exists(story):
            snapshot.fields["hero_image"] = keep.fields["hero_image"]
    return snapshot


def _existing(stored):
    story = stored.story
    wanted = {
        Section: {story.get("section_id")},
        Tag: set(story.get("tags") or []),
        Author: {row["author_id"] for row in stored.bylines},
    }
    return {
        model: set(model.objects.filter(pk__in=pks).values_list("pk", flat=True))
        for model, pks in wanted.items()
    }


def _picture_name(story):
    hero = story.get("hero_image")
    return getattr(hero, "name", hero) or ""


def _picture_exists(story):
    name = _picture_name(story)
    return not name or Article._meta.get_field("hero_image").storage.exists(name)


def missing_parts(stored):
    """What a restore of this revision cannot bring back, in words."""
    live = _existing(stored)
    story = stored.story
    missing = []
    if story.get("section_id") not in live[Section]:
        name = _name(stored, Section, story.get("section_id"), {})
        missing.append(f"the section “{name}” has been deleted: the story stays in its section")
    for pk in story.get("tags") or []:
        if pk not in live[Tag]:
            missing.append(f"the tag “{_name(stored, Tag, pk, {})}” has been deleted")
    for row in stored.bylines:
        if row["author_id"] not in live[Author]:
            name = _name(stored, Author, row["author_id"], {})
            missing.append(f"the author “{name}” has been deleted: left off the byline")
    if not _picture_exists(story):
        missing.append(
            f"the picture file “{_picture_name(story)}” is no longer stored: "
            "the story keeps its current picture"
        )
    return missing


# --- Recording, listing, pruning ----------------------------------------------------


def revisions_of(article):
    """The story's revisions, newest first."""
    versions = Version.objects.get_for_object(article).values("revision_id")
    return (
        Revision.objects.filter(pk__in=versions)
        .select_related("user")
        .order_by("-date_created", "-pk")
    )


def revision_of(article, revision_id):
    """The story's revision with that id, or None (another story's, or none)."""
    if revision_id is None:
        return None
    return revisions_of(article).filter(pk=revision_id).first()


def record_revision(article, *, by, before=None, summary=None, note=""):
    """Record the story as it now is in the database. The summary says what
    changed since `before` (a Snapshot), else since the latest revision."""
    if summary is None:
        if before is None:
            latest = revisions_of(article).first()
            before = snapshot_of_stored(stored_story(article.pk, latest)) if latest else None
        if before is None:
            summary = "first recorded version"
        else:
            summary = summarise(compare(before, snapshot_of(article)))
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        if by is not None and by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(f"{summary}; {note}" if note else summary)
    _prune(article)


def record_baseline(article):
    """A story from before revisions (or the shell) has none: keep it as it is,
    before a save changes it, so that the first save can be undone too."""
    if not revisions_of(article).exists():
        record_revision(article, by=None, summary="first recorded version")


def _prune(article):
    keep = settings.REVISIONS_KEEP
    if keep > 0:
        older = list(revisions_of(article).values_list("pk", flat=True)[keep:])
        if older:
            Revision.objects.filter(pk__in=older).delete()


def purge_history(article, *, by):
    """Delete every revision of the story (a legal takedown: they keep its
    old text), then record it as it stands, saying so."""
    with transaction.atomic():
        Revision.objects.filter(
            pk__in=list(revisions_of(article).values_list("pk", flat=True))
        ).delete()
        record_revision(article, by=by, summary="history purged; the story as it stood then")


# --- Restoring ----------------------------------------------------------------------


@dataclass
class RestorePlan:
    """What restoring `revision` would change (`changes`, articles/diff.py)
    and what it cannot bring back (`missing`)."""

    revision: Revision
    stored: StoredStory
    current: Snapshot
    changes: list
    missing: list
    with_status: bool


def plan_restore(article, revision, *, with_status=False):
    stored = stored_story(article.pk, revision)
    current = snapshot_of(article)
    target = snapshot_of_stored(stored, keep=current)
    target.notes = current.notes  # a restore never rewrites the public record
    if not with_status:
        target.fields["status"] = current.fields["status"]
        target.fields["published_at"] = current.fields["published_at"]
    return RestorePlan(
        revision=revision,
        stored=stored,
        current=current,
        changes=compare(current, target),
        missing=missing_parts(stored),
        with_status=with_status,
    )


def restore(article, plan, *, by):
    """Bring the story back as `plan.revision` had it, through the models'
    normal saves; record that as a new revision. Status and publication time
    stay unless the plan says otherwise. Raises ValidationError (nothing
    changed) when the story as restored would break a rule (a slug taken on
    the restored day)."""
    stored, story = plan.stored, plan.stored.story
    live = _existing(stored)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in PLAIN_FIELDS:
            setattr(article, name, story.get(name) or "")
        if story.get("section_id") in live[Section]:
            article.section_id = story["section_id"]
        if _picture_exists(story):
            article.hero_image = _picture_name(story)
        if plan.with_status:
            article.status = story.get("status") or Article.Status.DRAFT
            article.published_at = story.get("published_at")
        article.clean()
        article.save()
        article.tags.set([pk for pk in story.get("tags") or [] if pk in live[Tag]])
        _restore_bylines(
            article, [row for row in stored.bylines if row["author_id"] in live[Author]]
        )
        new_source_ids = _restore_rows(article, Source, SOURCE_FIELDS, stored.sources)
        for _, values in stored.quotes:
            values["source_id"] = new_source_ids.get(values.get("source_id"))
        _restore_rows(article, PullQuote, QUOTE_FIELDS, stored.quotes)
        record_revision(
            article,
            by=by,
            before=plan.current,
            note=(
                f"restored the version of {time_label(plan.revision.date_created)}"
                f" by {user_label(plan.revision.user)}"
            ),
        )
    return article


def _restore_bylines(article, rows):
    current = {byline.author_id: byline for byline in article.bylines.all()}
    for row in rows:
        byline = current.pop(row["author_id"], None) or Byline(author_id=row["author_id"])
        byline.article = article
        byline.order = row.get("order") or 0
        byline.save()
    for byline in current.values():
        byline.delete()


def _restore_rows(article, model, names, rows):
    """Sources or pull-quotes as the revision had them: rows still here are
    updated, others made anew, the rest deleted. Returns {old pk: pk now}."""
    current = {row.pk: row for row in model.objects.filter(article=article)}
    kept = {pk for pk, _ in rows}
    for pk, row in list(current.items()):
        if pk not in kept:
            row.delete()
            del current[pk]
    new_ids = {}
    for pk, values in rows:
        row = current.get(pk) or model(article=article)
        for name in names:
            attname = model._meta.get_field(name).attname
            setattr(row, attname, values.get(attname))
        row.save()
        new_ids[pk] = row.pk
    return new_ids


# --- Edit conflicts and "Opened by" -------------------------------------------------


def user_label(user):
    if user is None:
        return "someone outside the admin"
    return user.get_full_name() or user.get_username()


@dataclass
class Conflict:
    """Someone saved the story after the form was opened."""

    version: int
    saved_by: str
    saved_at: datetime.datetime


def find_conflict(article, seen_version):
    """None if the story is still at `seen_version`; else who saved it
    since, and when. Locks the story's row until the transaction ends (the
    admin's save runs in one), so that the save that passes is the only one."""
    version = (
        Article.objects.select_for_update()
        .filter(pk=article.pk)
        .values_list("version", flat=True)
        .first()
    )
    if version is None or version == seen_version:
        return None
    latest = revisions_of(article).first()
    if latest is None:
        return Conflict(version, user_label(None), article.updated_at)
    return Conflict(version, user_label(latest.user), latest.date_created)


def record_opening(article, user):
    """`user` has the story's admin page open (for others' notice)."""
    OpenedStory.objects.update_or_create(
        article=article, user=user, defaults={"opened_at": timezone.now()}
    )


def opened_by_others(article, user):
    """Who else opened the story in the last STORY_OPENED_MINUTES, newest first."""
    since = timezone.now() - datetime.timedelta(minutes=settings.STORY_OPENED_MINUTES)
    return (
        OpenedStory.objects.filter(article=article, opened_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("-opened_at")
    )
