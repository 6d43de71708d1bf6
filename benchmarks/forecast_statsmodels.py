"""The statsmodels baselines quoted in README_forecast.md (not part of Asta's install).

    python -m venv /tmp/smenv && /tmp/smenv/bin/pip install statsmodels
    /tmp/smenv/bin/python benchmarks/forecast_statsmodels.py hw mstl

MAE relative to "same weekday last week", one week ahead, rolling origin, on the same four
4-week windows as `forecast.py --earlier-windows 3`, over the open bins (07:00-21:30).
"""
# ruff: noqa
import sys, time, csv, warnings
import numpy as np
from datetime import date, datetime, timedelta
from collections import defaultdict
warnings.filterwarnings("ignore")
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.seasonal import MSTL
from statsmodels.tsa.statespace.exponential_smoothing import ExponentialSmoothing as SSES
counts=defaultdict(lambda: np.zeros(48)); rows=defaultdict(lambda: np.zeros(48,bool))
for r in csv.DictReader(open('/work/shared/forecast/bank_calls_public.csv')):
    s=datetime.fromisoformat(r['start'].replace('Z','+00:00')); b=(s.hour*60+s.minute)//30
    counts[s.date()][b]+=float(r['calls']); rows[s.date()][b]=True
B=slice(14,43); NB=29
days=sorted(counts); last=days[-1]
def run(method, ends):
    out=[]
    for end in ends:
        err=[];base=[];secs=[]
        for n in range(4,0,-1):
            origin=end-timedelta(days=7*n)
            train=[d for d in days if d<=origin]
            target=[d for d in days if origin<d<=origin+timedelta(days=7)]
            y=np.concatenate([counts[d][B] for d in train])
            t0=time.perf_counter()
            h=NB*len(target)
            if method=='hw':
                m=ExponentialSmoothing(y[-NB*5*8:],trend='add',damped_trend=True,seasonal='mul',seasonal_periods=NB*5).fit()
                f=m.forecast(h)
            else:
                res=MSTL(y[-NB*5*10:],periods=(NB,NB*5)).fit()
                seas=res.seasonal
                # seasonal naive on seasonal parts (last week's), plus ETS-like level: mean of last day's trend
                s_week=seas[:, 0][-NB*5:]+seas[:,1][-NB*5:]
                lvl=res.trend[-NB:].mean()
                f=np.array([lvl+s_week[i % (NB*5)] for i in range(h)])
            secs.append(time.perf_counter()-t0)
            f=np.asarray(f).reshape(len(target),NB)
            for i,d in enumerate(target):
                prev=next(d-timedelta(days=7*k) for k in range(1,60) if d-timedelta(days=7*k) in counts)
                m_=rows[d][B]
                err.extend(np.abs(f[i]-counts[d][B])[m_]); base.extend(np.abs(counts[prev][B]-counts[d][B])[m_])
        out.append((str(end), round(np.mean(err)/np.mean(base),3), round(np.mean(err),1), round(max(secs),2)))
    return out
ends=[last-timedelta(days=28*k) for k in (3,2,1,0)]
for meth in sys.argv[1:]:
    print(meth, run(meth, ends))
