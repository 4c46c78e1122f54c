package io.mxcutover.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every field of the service YAML is documented (the idea of Postfix's check-postconf-undocumented). */
class ConfigurationDocumentedTest {
    static final Path DOC = Path.of("../docs/reference/configuration.md");

    @Test
    void everyConfigurationFieldShouldBeDocumented() throws Exception {
        String doc = Files.readString(DOC);
        List<String> keys = new ArrayList<>();
        collect(ApplianceConfiguration.class, "", keys);
        assertThat(keys).contains("plan", "store.path", "users[].passwordHash");
        assertThat(keys)
                .allSatisfy(k -> assertThat(doc)
                        .as("docs/reference/configuration.md documents `%s`", k)
                        .contains("`" + k + "`"));
    }

    static void collect(Class<?> type, String prefix, List<String> out) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || !f.isAnnotationPresent(JsonProperty.class)) continue;
            String name = f.getAnnotation(JsonProperty.class).value();
            String key = prefix + (name.isEmpty() ? f.getName() : name);
            Class<?> element = f.getType();
            if (Collection.class.isAssignableFrom(element) || Map.class.isAssignableFrom(element)) {
                key += Map.class.isAssignableFrom(element) ? ".*" : "[]";
                element = typeArgument(f.getGenericType());
            }
            if (element != null
                    && element.getPackageName().startsWith("io.mxcutover")
                    && !element.isEnum()
                    && !element.isRecord()) {
                collect(element, key + ".", out);
            } else {
                out.add(key);
            }
        }
    }

    private static Class<?> typeArgument(Type generic) {
        if (generic instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (args[args.length - 1] instanceof Class<?> c) return c;
        }
        return null;
    }
}
