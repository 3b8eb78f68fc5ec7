-- The 2019 format of table 二 (report years 2019 and 2020): the office's 上一年项目数量 and
-- 本年增/减 of each kind of item, the decisions on 其他对外管理服务事项, and 政府集中采购.
ALTER TABLE annual_report_figures ADD COLUMN licensing_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN licensing_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_decisions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN punishment_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN punishment_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN coercive_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN coercive_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN fee_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN fee_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN procurement_projects INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN procurement_fen INTEGER NOT NULL DEFAULT 0;
