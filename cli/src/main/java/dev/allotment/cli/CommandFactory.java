package dev.allotment.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Makes picocli's command objects, giving each command that asks for it (a constructor taking an
 * {@link Env}) the environment of this execution instead of a global one.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final Env env;

  CommandFactory(Env env) {
    this.env = env;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      Class<?>[] parameters = constructor.getParameterTypes();
      if (parameters.length == 1 && parameters[0] == Env.class) {
        constructor.setAccessible(true);
        return type.cast(constructor.newInstance(env));
      }
    }
    return CommandLine.defaultFactory().create(type);
  }
}
