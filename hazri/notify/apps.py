from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hazri.notify"
    label = "notify"

    def ready(self) -> None:
        from hazri.messaging.signals import message_posted, notice_posted
        from hazri.notify.receivers import on_message_posted, on_notice_posted

        message_posted.connect(on_message_posted, dispatch_uid="hazri.notify.message_posted")
        notice_posted.connect(on_notice_posted, dispatch_uid="hazri.notify.notice_posted")

        from hazri.admissions.signals import application_changed, phone_code_sent
        from hazri.notify import admissions

        phone_code_sent.connect(admissions.on_phone_code_sent, dispatch_uid="hazri.notify.code")
        application_changed.connect(
            admissions.on_application_changed, dispatch_uid="hazri.notify.application"
        )

        from hazri.notify.support import on_ticket_changed
        from hazri.support.signals import ticket_changed

        ticket_changed.connect(on_ticket_changed, dispatch_uid="hazri.notify.ticket_changed")

        from hazri.notify import records
        from hazri.records.signals import tc_cancelled, tc_issued

        tc_issued.connect(records.on_tc_issued, dispatch_uid="hazri.notify.tc_issued")
        tc_cancelled.connect(records.on_tc_cancelled, dispatch_uid="hazri.notify.tc_cancelled")
