"""core.pagecache.per_generation: a read kept in the process for each page generation."""

from core import pagecache


def _counting_read():
    reads = []

    @pagecache.per_generation(maxsize=4)
    def read(day, slug):
        reads.append((day, slug))
        return [day, slug]

    return read, reads


def test_a_read_is_kept_for_its_generation_and_arguments():
    read, reads = _counting_read()

    first = read("g1", 1, "a")
    assert read("g1", 1, "a") is first
    assert reads == [(1, "a")]

    assert read("g1", 2, "a") == [2, "a"]
    assert read("g1", 1, "b") == [1, "b"]
    assert reads == [(1, "a"), (2, "a"), (1, "b")]


def test_a_new_generation_reads_again():
    read, reads = _counting_read()

    first = read("g1", 1, "a")
    again = read("g2", 1, "a")

    assert again == first
    assert again is not first
    assert reads == [(1, "a"), (1, "a")]


def test_without_a_generation_every_call_reads():
    read, reads = _counting_read()

    assert read("", 1, "a") is not read("", 1, "a")
    assert reads == [(1, "a"), (1, "a")]


def test_cache_clear_forgets_what_was_kept():
    read, reads = _counting_read()

    first = read("g1", 1, "a")
    read.cache_clear()

    assert read("g1", 1, "a") is not first
    assert len(reads) == 2
