package io.switchguard.sandbox;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** The official SDK's enum-like model classes, read the way the SDK defines them. */
public final class SdkEnums {

    private SdkEnums() {
    }

    /**
     * The values an SDK enum class defines (its public static constants): what "the SDK knows" means. Read from the
     * class itself, so a value a newer SDK adds shows up in every test that uses this.
     */
    public static <E> List<E> known(Class<E> enumClass) {
        List<E> out = new ArrayList<>();
        for (Field f : enumClass.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == enumClass) {
                try {
                    out.add(enumClass.cast(f.get(null)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
