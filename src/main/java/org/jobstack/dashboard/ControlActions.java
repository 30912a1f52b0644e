package org.jobstack.dashboard;

import static org.jobstack.dashboard.Redirects.act;
import static org.jobstack.dashboard.Redirects.encode;
import static org.jobstack.dashboard.Redirects.redirect;

import org.jobstack.common.Problem;
import org.jobstack.node.Nodes;
import org.jobstack.node.WorkerPauses;
import org.jobstack.trigger.TriggerFiring;
import org.jobstack.trigger.TriggerPauses;
import org.jobstack.trigger.TriggerService;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * What operators do to nodes, worker types and triggers from the dashboard: drain and undrain,
 * pause and resume, launch, delete.
 */
@Controller
class ControlActions {

    private final WorkerPauses workers;
    private final TriggerService triggers;
    private final TriggerPauses pauses;
    private final TriggerFiring firing;
    private final Nodes nodes;

    ControlActions(
            WorkerPauses workers, TriggerService triggers, TriggerPauses pauses, TriggerFiring firing, Nodes nodes) {
        this.workers = workers;
        this.triggers = triggers;
        this.pauses = pauses;
        this.firing = firing;
        this.nodes = nodes;
    }

    @PostMapping("/dashboard/nodes/{id}/drain")
    String drain(@PathVariable String id) {
        return act("/dashboard", () -> {
            nodes.drain(id);
            return "Node " + id + " drained: it finishes what it runs and claims nothing new";
        });
    }

    @PostMapping("/dashboard/nodes/{id}/undrain")
    String undrain(@PathVariable String id) {
        return act("/dashboard", () -> {
            nodes.undrain(id);
            return "Node " + id + " claims jobs again";
        });
    }

    @PostMapping("/dashboard/workers/{worker}/pause")
    String pauseWorker(@PathVariable String worker) {
        return act("/dashboard", () -> {
            workers.pause(worker, "the dashboard");
            return "Worker " + worker + " paused";
        });
    }

    @PostMapping("/dashboard/workers/{worker}/resume")
    String resumeWorker(@PathVariable String worker) {
        return act("/dashboard", () -> {
            workers.resume(worker);
            return "Worker " + worker + " resumed";
        });
    }

    @PostMapping("/dashboard/instances/{domain}/triggers/{id}/launch")
    String launch(@PathVariable String domain, @PathVariable String id) {
        try {
            return "redirect:/dashboard/jobs/"
                    + firing.launch(triggers.get(domain, id)).id();
        } catch (Problem refused) {
            return redirect(instancePage(domain), refused.getMessage());
        }
    }

    @PostMapping("/dashboard/instances/{domain}/triggers/{id}/pause")
    String pauseTrigger(@PathVariable String domain, @PathVariable String id) {
        return act(instancePage(domain), () -> {
            pauses.pause(domain, id);
            return "Trigger " + id + " paused";
        });
    }

    @PostMapping("/dashboard/instances/{domain}/triggers/{id}/resume")
    String resumeTrigger(@PathVariable String domain, @PathVariable String id) {
        return act(instancePage(domain), () -> {
            pauses.resume(domain, id);
            return "Trigger " + id + " resumed";
        });
    }

    @PostMapping("/dashboard/instances/{domain}/triggers/{id}/delete")
    String deleteTrigger(@PathVariable String domain, @PathVariable String id) {
        return act(instancePage(domain), () -> {
            triggers.delete(domain, id);
            return "Trigger " + id + " deleted";
        });
    }

    private static String instancePage(String domain) {
        return "/dashboard/instances/" + encode(domain);
    }
}
