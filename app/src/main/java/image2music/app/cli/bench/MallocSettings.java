package image2music.app.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * glibc's allocator settings of this process, printed beside a benchmark's figures because they
 * move libtorch's times by up to a third: {@code ./image2music} sets the first three (see its
 * comments), a JVM started otherwise runs with glibc's defaults.
 *
 * @param values each variable of {@link #VARIABLES} that is set, with its value
 */
record MallocSettings(Map<String, String> values) {

    static final List<String> VARIABLES =
            List.of(
                    "MALLOC_ARENA_MAX",
                    "MALLOC_MMAP_MAX_",
                    "MALLOC_TRIM_THRESHOLD_",
                    "GLIBC_TUNABLES");

    /** This process's, from its environment. */
    static MallocSettings read() {
        return of(System.getenv());
    }

    static MallocSettings of(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : VARIABLES) {
            String value = environment.get(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return new MallocSettings(values);
    }

    /** "MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 …", or a warning that glibc's defaults are in use. */
    String describe() {
        if (values.isEmpty()) {
            return "glibc defaults (slower: run through ./image2music, which sets "
                    + String.join(", ", VARIABLES.subList(0, 3))
                    + ")";
        }
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
