#!/bin/sh
# A stand-in for yt-dlp in tests (run through `sh`: Maven drops the executable bit).
# Understands the arguments image2music passes: --download-archive, --output, --max-downloads,
# and targets after `--` (ytsearchN:<query> or https://www.youtube.com/watch?v=<id>).
# Search results get ids "<query with non-alphanumerics as '-'>-<n>" (1-based).
# It writes short generated 8 kHz 8-bit mono WAV files (the id's bytes, then a square wave),
# records the archive,
# prints one JSON line per finished file (as yt-dlp's --print after_move does) and
#   appends its arguments to $FAKE_YTDLP_LOG ("--- call", then one argument per line);
#   fails ids listed in $FAKE_YTDLP_FAIL (an "ERROR:" line on stderr, exit status 1 at the end);
#   writes unreadable bytes for ids in $FAKE_YTDLP_CORRUPT;
#   makes ids in $FAKE_YTDLP_SHORT 0.5 s long (others $FAKE_YTDLP_TENTHS tenths, default 20);
#   sleeps $FAKE_YTDLP_SLEEP seconds after each file (to be killed mid-run).

log=${FAKE_YTDLP_LOG:-/dev/null}
{
  echo "--- call"
  for a in "$@"; do printf '%s\n' "$a"; done
} >> "$log"

if [ "$1" = "--version" ]; then
  echo "2025.01.01-fake"
  exit 0
fi

archive=/dev/null
out=
max=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --download-archive) archive=$2; shift 2 ;;
    --output) out=$2; shift 2 ;;
    --max-downloads) max=$2; shift 2 ;;
    --format|--match-filter|--print) shift 2 ;;
    --) shift; break ;;
    *) shift ;;
  esac
done
[ -n "$out" ] || { echo "ERROR: no --output" >&2; exit 2; }
dir=${out%/*}
mkdir -p "$dir"

le16() { printf "$(printf '\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)))"; }
le32() {
  printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}
wav() { # file tenths-of-seconds id
  len=$((8000 * $2 / 10))
  {
    printf 'RIFF'; le32 $((36 + len)); printf 'WAVEfmt '; le32 16
    le16 1; le16 1; le32 8000; le32 8000; le16 1; le16 8
    printf 'data'; le32 $len
    # The id's bytes first, so that every video's file is different.
    { printf '%s' "$3"; yes 'AAAAAAAAAAAAAAAAAAAA~~~~~~~~~~~~~~~~~~~~' | tr -d '\n'; } | head -c $len
  } > "$1"
}
listed() { # id list
  for x in $2; do [ "$x" = "$1" ] && return 0; done
  return 1
}

count=0
status=0
fetch() { # id
  id=$1
  if grep -qx "youtube $id" "$archive" 2>/dev/null; then
    return 0
  fi
  if listed "$id" "$FAKE_YTDLP_FAIL"; then
    echo "ERROR: [youtube] $id: Video unavailable. This video has been removed" >&2
    status=1
    return 0
  fi
  file="$dir/$id.wav"
  tenths=${FAKE_YTDLP_TENTHS:-20}
  listed "$id" "$FAKE_YTDLP_SHORT" && tenths=5
  if listed "$id" "$FAKE_YTDLP_CORRUPT"; then
    printf 'this is not audio at all, just text pretending' > "$file.part"
  else
    wav "$file.part" "$tenths" "$id"
  fi
  mv "$file.part" "$file"
  echo "youtube $id" >> "$archive"
  printf '{"id": "%s", "title": "Fake video %s", "duration": %s.%s, "webpage_url": "https://www.youtube.com/watch?v=%s", "filepath": "%s"}\n' \
    "$id" "$id" $((tenths / 10)) $((tenths % 10)) "$id" "$file"
  count=$((count + 1))
  [ -n "$FAKE_YTDLP_SLEEP" ] && sleep "$FAKE_YTDLP_SLEEP"
  if [ "$count" -ge "$max" ]; then
    echo "Maximum number of downloads reached, stopping due to --max-downloads" >&2
    exit 101
  fi
}

for t in "$@"; do
  case "$t" in
    ytsearch*:*)
      n=${t#ytsearch}; n=${n%%:*}
      q=${t#*:}
      slug=$(printf '%s' "$q" | tr -c 'A-Za-z0-9' '-')
      i=1
      while [ "$i" -le "$n" ]; do
        fetch "$slug-$i"
        i=$((i + 1))
      done
      ;;
    *v=*) fetch "${t#*v=}" ;;
    *) echo "ERROR: unsupported URL: $t" >&2; status=1 ;;
  esac
done
exit $status
