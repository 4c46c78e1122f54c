package io.mxcutover.appliance.plan;

import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where each key of a YAML text stands, so that a problem found in the parsed plan can name its line.
 * Keys are written like {@code domains[0].legacy.smtp[1]}. Commons Configuration drops positions;
 * this index is built from the same text with SnakeYAML's composer and is used for messages only.
 */
final class YamlLines {
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlLines() {}

    static YamlLines index(String text) {
        YamlLines index = new YamlLines();
        try {
            Node root = new Yaml().compose(new java.io.StringReader(text));
            if (root != null) index.walk(root, "");
        } catch (RuntimeException e) {
            // XXX: a text SnakeYAML cannot compose has no positions; the parse error itself carries the line.
        }
        return index;
    }

    /** 1-based line of the key, of its nearest listed ancestor, or 0. */
    int lineOf(String key) {
        String k = key;
        while (!k.isEmpty()) {
            Integer line = lines.get(k);
            if (line != null) return line;
            if (k.endsWith("[0]") && lines.containsKey(k.substring(0, k.length() - 3))) {
                return lines.get(k.substring(0, k.length() - 3));
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
        return 0;
    }

    private void walk(Node node, String path) {
        if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) continue;
                String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                lines.put(child, key.getStartMark().getLine() + 1);
                walk(tuple.getValueNode(), child);
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String child = path + "[" + i + "]";
                lines.put(child, item.getStartMark().getLine() + 1);
                walk(item, child);
            }
        }
    }
}
