package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Optional;
import org.jobstack.app.App;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppState;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.common.DocumentChanged;
import org.jobstack.instance.Instance;
import org.jobstack.instance.InstanceRepository;
import org.jobstack.instance.InstanceService;
import org.junit.jupiter.api.Test;

class RunLookupsTest {

    private final InstanceRepository instances = mock(InstanceRepository.class);
    private final AppCatalog catalog = mock(AppCatalog.class);
    private final RunLookups lookups = new RunLookups(instances, catalog);

    @Test
    void should_read_a_ready_app_once_for_a_burst_of_runs() {
        App app = app(AppState.READY);
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        assertThat(lookups.app("a.test", AppKind.WEBAPP, "bank")).containsSame(app);
        verify(catalog, times(1)).find("a.test", AppKind.WEBAPP, "bank");
    }

    @Test
    void should_read_again_an_app_that_was_not_ready() {
        app(AppState.INSTALLING);
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        verify(catalog, times(2)).find("a.test", AppKind.WEBAPP, "bank");
    }

    @Test
    void should_forget_apps_of_an_instance_when_one_of_them_changes() {
        app(AppState.READY);
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        lookups.onDocumentChanged(
                new DocumentChanged("b.test", "UPDATED", "io.cozy.apps", "io.cozy.apps/x", null, null));
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        lookups.onDocumentChanged(
                new DocumentChanged("a.test", "UPDATED", "io.cozy.apps", "io.cozy.apps/x", null, null));
        lookups.app("a.test", AppKind.WEBAPP, "bank");
        verify(catalog, times(2)).find("a.test", AppKind.WEBAPP, "bank");
    }

    @Test
    void should_forget_an_instance_when_its_settings_change() {
        Instance instance = mock(Instance.class);
        when(instances.findById("a.test")).thenReturn(Optional.of(instance));
        lookups.instance("a.test");
        lookups.instance("a.test");
        lookups.onInstanceChanged(new InstanceService.InstanceChanged("a.test"));
        assertThat(lookups.instance("a.test")).containsSame(instance);
        verify(instances, times(2)).findById("a.test");
    }

    @Test
    void should_not_remember_a_missing_instance() {
        when(instances.findById("a.test")).thenReturn(Optional.empty());
        assertThat(lookups.instance("a.test")).isEmpty();
        assertThat(lookups.instance("a.test")).isEmpty();
        verify(instances, times(2)).findById("a.test");
    }

    private App app(AppState state) {
        App app = mock(App.class);
        when(app.state()).thenReturn(state);
        when(catalog.find("a.test", AppKind.WEBAPP, "bank")).thenReturn(Optional.of(app));
        return app;
    }
}
