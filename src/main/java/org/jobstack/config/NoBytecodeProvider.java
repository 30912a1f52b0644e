package org.jobstack.config;

import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.bytecode.internal.none.BytecodeProviderImpl;
import org.hibernate.bytecode.spi.BytecodeProvider;
import org.hibernate.service.spi.ServiceContributor;

/**
 * Hibernate without runtime bytecode generation: the entities (an app, a trigger, an instance) have
 * no lazy to-one association and nothing asks for a reference proxy, so Byte Buddy's proxy
 * factories, built for every entity at each start, were work for nothing: about 0.3 s of the start's
 * main thread and 900 classes (docs/benchmarks.md). Hibernate finds this through {@code
 * META-INF/services}; an entity that needed a proxy would fail at once in the tests.
 */
public final class NoBytecodeProvider implements ServiceContributor {

    @Override
    public void contribute(StandardServiceRegistryBuilder registry) {
        registry.addService(BytecodeProvider.class, new BytecodeProviderImpl());
    }
}
