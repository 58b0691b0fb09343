"""Fill a PostgreSQL database with initiatives at the scale of Decide Madrid, for benchmarks.

    createdb -h 127.0.0.1 -U postgres bench_madrid
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py import_programme \
        && .venv/bin/python manage.py load_reference_data
    DATABASE_URL=... .venv/bin/python -m bench.generate --scale madrid      # or --scale small

madrid: 500,000 users, 30,000 initiatives, 2,000,000 supports, 250,000 comments.
small: the same shape at 1,000 initiatives (every count divided by 30).

Rows go in with COPY. Supports and comments are skewed (a few initiatives with thousands, most
with a handful), created dates span three years, initiatives open for support get supports in
the last seven days (for the trending sort), and support_count, recent_support_count (the week's)
and comment_count equal the rows. Supporters, commenters and authors follow, as on the site.
Bodies are a few templates rendered once with the project's own Markdown functions. The script
refuses a database that already holds initiatives. Ends with VACUUM ANALYZE.
"""

import argparse
import math
import os
import random
import sys
import time
from datetime import UTC, datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # settings insist on SECRET_KEY otherwise; nothing is served

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from ideas.actions import do_recent_supports_refresh  # noqa: E402
from ideas.markdown import render_comment_markdown, render_markdown  # noqa: E402
from ideas.models import Initiative  # noqa: E402
from programme.models import Fokusomrade, Prioritering, Stadsdel  # noqa: E402

SCALES = {
    "madrid": {
        "users": 500_000,
        "initiatives": 30_000,
        "supports": 2_000_000,
        "comments": 250_000,
        "organisations": 600,
    },
    "small": {
        "users": 16_667,
        "initiatives": 1_000,
        "supports": 66_667,
        "comments": 8_333,
        "organisations": 20,
    },
}
YEARS = 3
SUPPORT_DAYS = 90
DAY = 86_400

FIRST = "Anna Erik Maria Lars Karin Johan Sara Ali Fatima Nils Elin Omar Ida Per Lina Jonas"
LAST = "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Hassan"
NOUNS = (  # noqa: SIM905 — a sentence of words reads better than a list of quotes
    "cykelbana lekplats parkbänk utegym hundrastgård bibliotek skatepark badplats "
    "gatubelysning busshållplats odlingslott konstverk träd blomsterängar fontän "
    "grillplats pulkabacke bollplan övergångsställe laddstolpe återvinning "
    "fritidsgård scen marknad sittplatser vattenlek naturstig fågelholkar "
    "solpaneler gångväg mötesplats"
).split()
ADJECTIVES = [
    "ny",
    "bättre",
    "tryggare",
    "grönare",
    "större",
    "fler",
    "upplyst",
    "tillgänglig",
    "renoverad",
]
BODIES = [
    "## Bakgrund\n\nI dag saknas en {noun} i området. Många har frågat efter det.\n\n"
    "## Förslag\n\n- Bygg en {noun}\n- Låt boende vara med och forma den\n- Följ upp efter "
    "ett år\n\nSe [kommunens karta](https://helsingborg.se) för platsen.",
    "Vi som bor här vill ha en **{noun}**. Barn och äldre skulle få en plats att mötas, och "
    "det kostar lite jämfört med nyttan.\n\nVi kan hjälpa till med arbetet.",
    "## Varför\n\nDet är mörkt och otryggt på kvällarna.\n\n## Vad\n\n1. En {noun}\n2. Bättre "
    "belysning\n3. Städning varje vecka\n\n> Många grannar har skrivit under redan.",
]
COMMENTS = [
    "Bra förslag, jag stöder det!",
    "Jag bor precis intill och håller med. **Det behövs verkligen.**",
    "Har någon räknat på vad det kostar?\n\nJag undrar också vem som ska sköta den.",
    "Ett liknande förslag fanns för två år sedan, se https://helsingborg.se",
    "Tack för ett genomtänkt initiativ. Jag kan hjälpa till en lördag.",
]
STATUS_OLD = [  # initiatives past their support period
    ("answered", 50),
    ("published", 18),
    ("will_be_done", 6),
    ("in_progress", 5),
    ("done", 8),
    ("not_possible", 6),
    ("rejected", 3),
    ("withdrawn", 2),
    ("draft", 1),
    ("submitted", 1),
]
TTY = sys.stdout.isatty()
PUBLIC = {str(status) for status in Initiative.PUBLIC_STATUSES}


class Progress:
    """Prints rows/s and percent at most twice a second."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.start = self.shown = time.monotonic()

    def add(self, rows: int = 1) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self.shown > 0.5 or self.done >= self.total:
            self.shown = now
            rate = self.done / max(now - self.start, 1e-6)
            percent = 100 * self.done / max(self.total, 1)
            print(
                f"\r  {self.label}: {self.done:,}/{self.total:,} ({percent:5.1f} %) "
                f"{rate:,.0f} rows/s",
                end="" if TTY else "\n",
                flush=True,
            )

    def finish(self) -> float:
        elapsed = time.monotonic() - self.start
        print(f"\r  {self.label}: {self.done:,} rows in {elapsed:.1f} s".ljust(90), flush=True)
        return elapsed


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def copy_rows(table: str, columns: list[str], rows, total: int, label: str) -> None:
    """COPY tab-separated lines; rows yields tuples of already formatted strings (\\N for null)."""
    progress = Progress(label, total)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        batch: list[str] = []
        for row in rows:
            batch.append("\t".join(row))
            if len(batch) >= 20_000:
                copy.write("\n".join(batch) + "\n")
                progress.add(len(batch))
                batch = []
        if batch:
            copy.write("\n".join(batch) + "\n")
            progress.add(len(batch))
    progress.finish()


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def skewed_counts(rng: random.Random, n: int, total: int, cap: int, alpha: float) -> list[int]:
    """n counts summing to about total, Pareto-shaped: a few in the thousands, most small."""
    weights = [rng.paretovariate(alpha) for _ in range(n)]
    scale = total / sum(weights)
    for _ in range(6):  # capping moves weight away; rescale the rest until it adds up
        counts = [min(cap, int(w * scale)) for w in weights]
        missing = total - sum(counts)
        if missing <= 0:
            break
        free = sum(w for w, c in zip(weights, counts, strict=True) if c < cap)
        scale += missing / max(free, 1e-9)
    return counts


def generate(scale: str, seed: int) -> None:
    size = SCALES[scale]
    rng = random.Random(seed)
    now = time.time()
    start = now - YEARS * 365 * DAY
    if Initiative.objects.exists():
        sys.exit("This database already holds initiatives; generate into a fresh one.")

    fokusomraden = list(Fokusomrade.objects.values_list("id", flat=True))
    stadsdelar = list(Stadsdel.objects.values_list("id", flat=True))
    prioriteringar: dict[int, list[int]] = {}
    for pk, fokusomrade in Prioritering.objects.values_list("id", "fokusomrade_id"):
        prioriteringar.setdefault(fokusomrade, []).append(pk)
    if not fokusomraden or not stadsdelar:
        sys.exit("Run import_programme and load_reference_data first.")

    body_html = [render_markdown(body.format(noun=noun)) for body in BODIES for noun in NOUNS[:4]]
    bodies = [body.format(noun=noun) for body in BODIES for noun in NOUNS[:4]]
    comment_html = [render_comment_markdown(text) for text in COMMENTS]

    # Users: password "!" is Django's unusable password; nobody signs in as these people.
    first_user = next_id("accounts_user")
    first_names, last_names = FIRST.split(), LAST.split()

    def users():
        for i in range(size["users"]):
            pk = first_user + i
            name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
            joined = ts(start + (now - start) * math.sqrt(rng.random()))
            verified = "t" if rng.random() < 0.3 else "f"
            yield (str(pk), "!", "f", f"bench{pk}@example.org", name, "f", "t", verified,
                   "sv", joined)  # fmt: skip

    copy_rows(
        "accounts_user",
        [
            "id",
            "password",
            "is_superuser",
            "email",
            "display_name",
            "is_staff",
            "is_active",
            "is_verified_resident",
            "language",
            "date_joined",
        ],  # fmt: skip
        users(),
        size["users"],
        "users",
    )
    user_ids = range(first_user, first_user + size["users"])

    first_org = next_id("accounts_organisation")
    copy_rows(
        "accounts_organisation",
        [
            "id",
            "kind",
            "name",
            "slug",
            "description",
            "website",
            "is_verified",
            "created_at",
            "offers",
            "offers_text",
            "whole_city",
            "review_state",
            "review_reason",
            "review_decided_at",
            "organisation_number",
        ],
        (
            (
                str(first_org + i),
                "forening" if i % 3 else "foretag",
                f"Bench förening {i}",
                f"bench-forening-{i}",
                "",
                "",
                "t",
                ts(start),
                "[]",
                "",
                "f",
                "approved",  # approved by a moderator, so listed like any public one
                "",
                ts(start),
                "",
            )
            for i in range(size["organisations"])
        ),  # fmt: skip
        size["organisations"],
        "organisations",
    )

    # Initiatives: created over three years, more in recent years, as platforms grow.
    n = size["initiatives"]
    created = sorted(start + (now - start) * math.sqrt(rng.random()) for _ in range(n))
    statuses, published = [], []
    for created_at in created:
        pub = created_at + rng.uniform(0.5, 5) * DAY
        if pub > now - SUPPORT_DAYS * DAY:
            status = rng.choices(["published", "submitted", "draft"], [92, 5, 3])[0]
        else:
            status = rng.choices(*zip(*STATUS_OLD, strict=True))[0]
        if pub > now:
            status = "submitted"
        statuses.append(status)
        published.append(pub if status in PUBLIC or status == "withdrawn" else None)
    public_index = [i for i in range(n) if statuses[i] in PUBLIC]
    support_counts = [0] * n
    comment_counts = [0] * n
    cap_supports = max(50, size["supports"] // 40)
    cap_comments = max(20, size["comments"] // 80)
    for i, count in zip(
        public_index,
        skewed_counts(rng, len(public_index), size["supports"], cap_supports, 1.1),
        strict=True,
    ):
        support_counts[i] = count
    for i, count in zip(
        public_index,
        skewed_counts(rng, len(public_index), size["comments"], cap_comments, 1.2),
        strict=True,
    ):
        comment_counts[i] = count

    first_initiative = next_id("ideas_initiative")
    nul = "\\N"
    threshold = "100"

    def initiatives():
        for i in range(n):
            noun, adjective = rng.choice(NOUNS), rng.choice(ADJECTIVES)
            title = f"{adjective.capitalize()} {noun} vid {rng.choice(NOUNS)} nr {i}"
            summary = f"Vi föreslår en {adjective} {noun} för alla som bor i området."
            template = rng.randrange(len(bodies))
            pub = published[i]
            org = str(first_org + rng.randrange(size["organisations"])) if i % 10 == 0 else nul
            ready = (
                ts(pub + SUPPORT_DAYS * DAY / 2)
                if pub and support_counts[i] >= int(threshold)
                else nul
            )
            yield (
                str(first_initiative + i), escape(title), slugify(title)[:140], escape(summary),
                escape(bodies[template]), escape(body_html[template]), "", "", "f", "[]", "",
                statuses[i], ts(created[i]), ts(created[i]), ts(created[i] + 3600),
                ts(pub) if pub else nul, ts(pub + SUPPORT_DAYS * DAY) if pub else nul,
                threshold, ready, str(support_counts[i]), "0", str(comment_counts[i]), "1",
                str(rng.choice(user_ids)), str(rng.choice(fokusomraden)), org,
                str(rng.choice(stadsdelar)) if rng.random() < 0.8 else nul,
            )  # fmt: skip

    copy_rows(
        "ideas_initiative",
        [
            "id",
            "title",
            "slug",
            "summary",
            "body",
            "body_html",
            "image",
            "image_alt",
            "seeking_partners",
            "partner_needs",
            "partner_needs_text",
            "status",
            "created_at",
            "updated_at",
            "submitted_at",
            "published_at",
            "support_ends_at",
            "support_threshold",
            "ready_at",
            "support_count",
            "recent_support_count",
            "comment_count",
            "version",
            "author_id",
            "fokusomrade_id",
            "organisation_id",
            "stadsdel_id",
        ],  # fmt: skip
        initiatives(),
        n,
        "initiatives",
    )
    with connection.cursor() as cursor:  # prioriteringar of the initiative's own focus area
        cursor.execute(
            """
            INSERT INTO ideas_initiative_prioriteringar (initiative_id, prioritering_id)
            SELECT DISTINCT i.id, p.id FROM ideas_initiative i
            JOIN programme_prioritering p ON p.fokusomrade_id = i.fokusomrade_id
            WHERE i.id >= %s AND (i.id + p.id) %% 3 = 0
            """,
            [first_initiative],
        )

    def events():
        for i in public_index:
            pk = str(first_initiative + i)
            yield (pk, "status", "published", ts(published[i]), "")
            if statuses[i] != "published":
                yield (pk, "status", statuses[i], ts(published[i] + SUPPORT_DAYS * DAY), "")

    copy_rows(
        "ideas_initiativeevent",
        ["initiative_id", "kind", "status", "created_at", "note"],
        events(),
        sum(1 if statuses[i] == "published" else 2 for i in public_index),
        "timeline events",
    )

    # Supports: distinct people per initiative, dated within the support period, so that
    # initiatives still open have supports in the last seven days.
    def supports():
        for i in public_index:
            pub = published[i]
            end = min(now, pub + SUPPORT_DAYS * DAY)
            pk = str(first_initiative + i)
            for user in rng.sample(user_ids, support_counts[i]):
                yield (ts(pub + (end - pub) * rng.random()), pk, str(user))

    copy_rows(
        "ideas_support",
        ["created_at", "initiative_id", "user_id"],
        supports(),
        sum(support_counts),
        "supports",
    )

    # Comments: a quarter are replies to an earlier top-level comment of the same thread.
    first_comment = next_id("ideas_comment")

    def comments():
        pk = first_comment
        for i in public_index:
            pub = published[i]
            end = min(now, pub + 365 * DAY)
            dates = sorted(pub + (end - pub) * rng.random() for _ in range(comment_counts[i]))
            top_level: list[int] = []
            for created_at in dates:
                parent = nul
                if top_level and rng.random() < 0.25:
                    parent = str(rng.choice(top_level))
                else:
                    top_level.append(pk)
                text = rng.randrange(len(COMMENTS))
                removed = ts(created_at + 3600) if rng.random() < 0.02 else nul
                staff = "t" if rng.random() < 0.01 else "f"
                yield (str(pk), escape(COMMENTS[text]), escape(comment_html[text]), staff,
                       ts(created_at), removed, str(rng.choice(user_ids)), parent,
                       str(first_initiative + i))  # fmt: skip
                pk += 1

    copy_rows(
        "ideas_comment",
        [
            "id",
            "body",
            "body_html",
            "is_staff_comment",
            "created_at",
            "removed_at",
            "author_id",
            "parent_id",
            "initiative_id",
        ],  # fmt: skip
        comments(),
        sum(comment_counts),
        "comments",
    )

    # Follows, as the site makes them: supporting, commenting and proposing each follow the
    # initiative (notifications.actions.do_follow_automatically), once per person.
    clock = time.monotonic()
    with connection.cursor() as cursor:
        for source in [
            f"SELECT user_id, initiative_id, min(created_at) FROM ideas_support "
            f"WHERE initiative_id >= {first_initiative} GROUP BY 1, 2",
            f"SELECT author_id, initiative_id, min(created_at) FROM ideas_comment "
            f"WHERE initiative_id >= {first_initiative} GROUP BY 1, 2",
            f"SELECT author_id, id, created_at FROM ideas_initiative "
            f"WHERE id >= {first_initiative}",
        ]:
            cursor.execute(
                "INSERT INTO notifications_follow (user_id, initiative_id, created_at, active) "
                f"SELECT *, true FROM ({source}) AS followed ON CONFLICT DO NOTHING"
            )
        cursor.execute("SELECT count(*) FROM notifications_follow")
        follows = cursor.fetchone()[0]
    print(f"  follows: {follows:,} rows in {time.monotonic() - clock:.1f} s", flush=True)

    with connection.cursor() as cursor:
        for table in [
            "accounts_user",
            "accounts_organisation",
            "ideas_initiative",
            "ideas_comment",
        ]:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, max(id)) FROM {table}")
    clock = time.monotonic()
    Initiative.objects.filter(pk__gte=first_initiative).refresh_search_vector()
    print(f"  search vector: {time.monotonic() - clock:.1f} s", flush=True)
    clock = time.monotonic()
    do_recent_supports_refresh()
    print(f"  trending counts: {time.monotonic() - clock:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    began = time.monotonic()
    print(f"Generating the {args.scale} set into {connection.settings_dict['NAME']}", flush=True)
    with transaction.atomic():
        generate(args.scale, args.seed)
    clock = time.monotonic()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE: {time.monotonic() - clock:.1f} s", flush=True)
    print(f"Done in {time.monotonic() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
