package io.mxcutover.sync.folder;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The RFC 6154 roles a folder can play, with the names clients in several languages give
 * such folders when the server does not announce the role. Names compare case- and
 * accent-insensitively.
 */
public enum SpecialUse {
    SENT(
            "\\sent",
            "Sent",
            List.of(
                    "Sent",
                    "Sent Items",
                    "Sent Messages",
                    "Sent Mail",
                    "Gesendet",
                    "Gesendete Objekte",
                    "Gesendete Elemente",
                    "Posta inviata",
                    "Inviata",
                    "Elementi inviati",
                    "Éléments envoyés",
                    "Messages envoyés",
                    "Envoyés",
                    "Elementos enviados",
                    "Enviados",
                    "Verzonden items",
                    "Verzonden",
                    "Skickat",
                    "Skickade objekt",
                    "Wysłane",
                    "Отправленные")),
    DRAFTS(
            "\\drafts",
            "Drafts",
            List.of(
                    "Drafts",
                    "Draft",
                    "Entwürfe",
                    "Bozze",
                    "Brouillons",
                    "Borradores",
                    "Concepten",
                    "Utkast",
                    "Kopie robocze",
                    "Черновики")),
    TRASH(
            "\\trash",
            "Trash",
            List.of(
                    "Trash",
                    "Deleted Items",
                    "Deleted Messages",
                    "Bin",
                    "Papierkorb",
                    "Gelöschte Elemente",
                    "Gelöschte Objekte",
                    "Cestino",
                    "Posta eliminata",
                    "Corbeille",
                    "Éléments supprimés",
                    "Papelera",
                    "Elementos eliminados",
                    "Prullenbak",
                    "Verwijderde items",
                    "Papperskorgen",
                    "Kosz",
                    "Корзина")),
    JUNK(
            "\\junk",
            "Junk",
            List.of(
                    "Junk",
                    "Junk E-mail",
                    "Junk Email",
                    "Spam",
                    "Bulk Mail",
                    "Junk-E-Mail",
                    "Posta indesiderata",
                    "Courrier indésirable",
                    "Indésirables",
                    "Correo no deseado",
                    "Ongewenste e-mail",
                    "Skräppost",
                    "Спам")),
    ARCHIVE(
            "\\archive",
            "Archive",
            List.of("Archive", "Archives", "Archiv", "Archivio", "Archivo", "Archief", "Arkiv", "Archiwum", "Архив"));

    private final String attribute;
    private final String defaultName;

    @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable
    private final List<String> names;

    SpecialUse(String attribute, String defaultName, List<String> names) {
        this.attribute = attribute;
        this.defaultName = defaultName;
        this.names = names.stream().map(SpecialUse::fold).toList();
    }

    public String attribute() {
        return attribute;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The role a folder announces by attribute, if any. */
    public static Optional<SpecialUse> ofAttributes(FolderInfo folder) {
        for (SpecialUse use : values()) {
            if (folder.attributes().contains(use.attribute)) {
                return Optional.of(use);
            }
        }
        return Optional.empty();
    }

    /** The role a top-level folder name suggests ("Posta inviata" is SENT), if any. */
    public static Optional<SpecialUse> ofName(String leafName) {
        String folded = fold(leafName);
        for (SpecialUse use : values()) {
            if (use.names.contains(folded)) {
                return Optional.of(use);
            }
        }
        return Optional.empty();
    }

    static String fold(String name) {
        String decomposed = Normalizer.normalize(name.strip(), Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    }
}
