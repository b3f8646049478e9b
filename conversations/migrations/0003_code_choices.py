"""The code columns take their choices from the enums that define them. Choices only: no SQL runs
(`sqlmigrate` shows no-ops) and no row is rewritten; every value the pipeline ever stored is one of them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0002_message_search_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='lexiconterm',
            name='severity',
            field=models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], max_length=10, verbose_name='severity'),
        ),
        migrations.AlterField(
            model_name='message',
            name='agent',
            field=models.CharField(blank=True, choices=[('edu', 'edu'), ('emotion', 'emotion'), ('story', 'story'), ('chat', 'chat'), ('safety', 'safety')], max_length=10, verbose_name='agent'),
        ),
        migrations.AlterField(
            model_name='message',
            name='emotion',
            field=models.CharField(blank=True, choices=[('happy', 'happy'), ('sad', 'sad'), ('angry', 'angry'), ('scared', 'scared'), ('surprised', 'surprised'), ('disgusted', 'disgusted'), ('anxious', 'anxious'), ('lonely', 'lonely'), ('excited', 'excited'), ('confused', 'confused'), ('neutral', 'neutral')], max_length=12, verbose_name='emotion'),
        ),
        migrations.AlterField(
            model_name='message',
            name='refusal_code',
            field=models.CharField(blank=True, choices=[('consent_required', 'Consent Required'), ('child_inactive', 'Child Inactive'), ('quiet_hours', 'Quiet Hours'), ('weekly_limit', 'Weekly Limit'), ('daily_limit', 'Daily Limit'), ('session_limit', 'Session Limit'), ('feature_disabled', 'Feature Disabled')], max_length=30, verbose_name='refusal'),
        ),
        migrations.AlterField(
            model_name='message',
            name='safety_action',
            field=models.CharField(choices=[('allow', 'allow'), ('mask', 'mask'), ('redirect', 'redirect'), ('block', 'block'), ('escalate', 'escalate')], default='allow', max_length=10, verbose_name='safety action'),
        ),
        migrations.AlterField(
            model_name='message',
            name='safety_severity',
            field=models.CharField(choices=[('none', 'None'), ('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='none', max_length=10, verbose_name='safety severity'),
        ),
        migrations.AlterField(
            model_name='message',
            name='subject',
            field=models.CharField(blank=True, choices=[('chinese', 'Chinese'), ('math', 'maths'), ('english', 'English'), ('science', 'science'), ('history', 'history'), ('geography', 'geography'), ('art', 'art'), ('music', 'music'), ('pe', 'PE'), ('morality', 'morality and law'), ('it', 'IT'), ('general', 'general knowledge')], max_length=20, verbose_name='subject'),
        ),
        migrations.AlterField(
            model_name='safetyevent',
            name='action',
            field=models.CharField(choices=[('allow', 'allow'), ('mask', 'mask'), ('redirect', 'redirect'), ('block', 'block'), ('escalate', 'escalate')], max_length=10, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='safetyevent',
            name='severity',
            field=models.CharField(choices=[('none', 'None'), ('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], max_length=10, verbose_name='severity'),
        ),
    ]
