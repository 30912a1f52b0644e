package org.jobstack.app;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.jobstack.app.manifest.ServiceDeclaration;

/**
 * A service of an installed app as stored: the manifest's declaration plus the id of the trigger
 * created for it ({@code ""} when the service has no trigger).
 */
@Embeddable
public record AppService(
        @Column(name = "type") String type,
        @Column(name = "file") String file,
        @Column(name = "trigger_spec") String trigger,
        @Column(name = "debounce") String debounce,
        @Column(name = "trigger_id") String triggerId) {

    /** Same declaration (the stack's diff compares these four fields). */
    public boolean sameDeclaration(ServiceDeclaration other) {
        return type.equals(other.type())
                && file.equals(other.file())
                && trigger.equals(other.trigger())
                && debounce.equals(other.debounce());
    }
}
