"""The "Testimonial permission" workflow: one step, "Customer permission", that
only the customer can complete. Installed by migration 0006; ``apps`` is the
migration's app registry (or ``django.apps.apps``)."""


def install(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    CustomerPermissionTask = apps.get_model("moderation", "CustomerPermissionTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="customerpermissiontask"
    )
    testimonial_type, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="testimonial"
    )
    task = CustomerPermissionTask.objects.create(
        name="Customer permission", content_type=task_type, active=True
    )
    workflow = Workflow.objects.create(name="Testimonial permission", active=True)
    # WorkflowTask.objects (not workflow.workflow_tasks): see STACK.md.
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(
        content_type=testimonial_type, defaults={"workflow": workflow}
    )
    return workflow
