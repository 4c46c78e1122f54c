package io.mxcutover.sync.folder;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A substitution on the target folder's full name (prefix and separator of the new server included), the
 * way imapsync's {@code --regextrans2 's/from/to/flags'} is written. {@link #of} takes the common Perl forms
 * and refuses, with the reason, anything it cannot do the same way: another operator ({@code tr}, {@code y},
 * a match without {@code s}), the {@code e}/{@code ee} flags (Perl code), Perl variables in the replacement.
 *
 * <p>Delimiters: {@code s/a/b/}, or any non-alphanumeric, non-blank character ({@code s,a,b,},
 * {@code s#a#b#}); bracketing pairs ({@code s{a}{b}}) are refused. Flags: {@code g} (every match, else the
 * first), {@code i}, {@code m}, {@code s}, {@code x}. Replacement: {@code $1}..{@code $9}, {@code ${12}},
 * {@code \1}..{@code \9}, {@code $&} (the match), {@code \<delimiter>}, {@code \\}, {@code \$}, {@code \@}.
 *
 * @param perl        the expression as written (for messages)
 * @param regex       the pattern, Java syntax (Perl's common subset is the same)
 * @param flags       the Perl flags as written
 * @param replacement the replacement in {@link Matcher#replaceAll(String)} syntax
 */
public record FolderRewrite(String perl, String regex, String flags, String replacement) {
    private static final Set<Character> KNOWN_FLAGS = Set.of('g', 'i', 'm', 's', 'x');

    public FolderRewrite {
        Objects.requireNonNull(perl, "perl");
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(replacement, "replacement");
        compile(perl, regex, flags);
    }

    /** Parses {@code s/from/to/flags}; an {@link IllegalArgumentException} says what is not taken and why. */
    public static FolderRewrite of(String perl) {
        String s = Objects.requireNonNull(perl, "perl").strip();
        if (s.startsWith("tr") || s.startsWith("y")) {
            throw new IllegalArgumentException("'" + perl + "' is a transliteration (tr/// or y///): only s/from/to/"
                    + " substitutions are supported; write each character change as s/a/b/g");
        }
        if (s.length() < 4 || s.charAt(0) != 's') {
            throw new IllegalArgumentException("'" + perl
                    + "' is not a substitution: write it as s/from/to/ (flags g, i allowed after the last /)");
        }
        char d = s.charAt(1);
        if (Character.isLetterOrDigit(d) || Character.isWhitespace(d) || d == '\\') {
            throw new IllegalArgumentException("'" + perl + "': the delimiter after 's' must be a punctuation"
                    + " character such as / or , (e.g. s/from/to/)");
        }
        if ("{[(<".indexOf(d) >= 0) {
            throw new IllegalArgumentException(
                    "'" + perl + "': bracketing delimiters (s{a}{b}) are not supported;" + " write s/a/b/ or s,a,b,");
        }
        int end1 = delimiter(s, 2, d);
        int end2 = end1 < 0 ? -1 : delimiter(s, end1 + 1, d);
        if (end2 < 0) {
            throw new IllegalArgumentException("'" + perl + "' is not complete: a substitution has three '" + d + "' (s"
                    + d + "from" + d + "to" + d + ")");
        }
        String from = s.substring(2, end1);
        String to = s.substring(end1 + 1, end2);
        String flags = s.substring(end2 + 1);
        for (int k = 0; k < flags.length(); k++) {
            char f = flags.charAt(k);
            if (f == 'e') {
                throw new IllegalArgumentException("'" + perl + "': the 'e' flag evaluates Perl code in the"
                        + " replacement; that cannot be done here: write a plain replacement");
            }
            if (!KNOWN_FLAGS.contains(f)) {
                throw new IllegalArgumentException(
                        "'" + perl + "': flag '" + f + "' is not supported (supported: g, i, m, s, x)");
            }
        }
        // "\," in a pattern delimited by ',' stays as it is: Java reads a backslash before punctuation as a literal.
        return new FolderRewrite(perl, from, flags, replacement(perl, to, d));
    }

    /** The name after this substitution. */
    public String apply(String name) {
        Matcher m = compile(perl, regex, flags).matcher(name);
        return flags.indexOf('g') >= 0 ? m.replaceAll(replacement) : m.replaceFirst(replacement);
    }

    private static Pattern compile(String perl, String regex, String flags) {
        int f = 0;
        for (int k = 0; k < flags.length(); k++) {
            f |= switch (flags.charAt(k)) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                default -> 0;
            };
        }
        try {
            return Pattern.compile(regex, f);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + perl + "': invalid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    /** Index of the next unescaped {@code d} from {@code from}, or -1. */
    private static int delimiter(String s, int from, char d) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == d) {
                return i;
            }
        }
        return -1;
    }

    /** Perl replacement text to {@link Matcher} replacement syntax. */
    private static String replacement(String perl, String to, char d) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < to.length(); i++) {
            char c = to.charAt(i);
            if (c == '\\' && i + 1 < to.length()) {
                char n = to.charAt(++i);
                if (n >= '1' && n <= '9') {
                    out.append('$').append(n);
                } else if (n == d || n == '\\' || n == '$' || n == '@' || n == '/') {
                    out.append(Matcher.quoteReplacement(String.valueOf(n)));
                } else {
                    throw new IllegalArgumentException("'" + perl + "': the escape \\" + n + " in the replacement is"
                            + " not supported (supported: \\1..\\9, \\\\, \\$, \\" + d + ")");
                }
            } else if (c == '$' && i + 1 < to.length()) {
                char n = to.charAt(i + 1);
                if (n >= '0' && n <= '9') {
                    int j = i + 1;
                    while (j < to.length() && Character.isDigit(to.charAt(j))) {
                        j++;
                    }
                    out.append('$').append(to, i + 1, j);
                    i = j - 1;
                } else if (n == '{'
                        && to.indexOf('}', i) > i + 2
                        && to.substring(i + 2, to.indexOf('}', i)).chars().allMatch(Character::isDigit)) {
                    int close = to.indexOf('}', i);
                    out.append('$').append(to, i + 2, close);
                    i = close;
                } else if (n == '&') {
                    out.append("$0");
                    i++;
                } else {
                    throw new IllegalArgumentException("'" + perl + "': '" + to.substring(i)
                            + "' in the replacement is a Perl variable, which is not available here;"
                            + " use $1..$9 for groups or \\$ for a literal $");
                }
            } else if (c == '$') {
                throw new IllegalArgumentException(
                        "'" + perl + "': a lone '$' at the end of the replacement; write \\$ for a literal $");
            } else if (c == '@' && i + 1 < to.length() && Character.isLetter(to.charAt(i + 1))) {
                throw new IllegalArgumentException("'" + perl + "': '@" + to.charAt(i + 1) + "...' in the replacement"
                        + " is a Perl array, which is not available here; write \\@ for a literal @");
            } else if (Character.isDigit(c)) {
                out.append('\\').append(c); // a literal digit after $1 must not extend the group number
            } else {
                out.append(Matcher.quoteReplacement(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
