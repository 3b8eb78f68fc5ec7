-- The 2019 format of table 二 (report years 2019 and 2020): the office's 上一年项目数量 and
-- 本年增/减 of each kind of item, the decisions on 其他对外管理服务事项, and 政府集中采购.
ALTER TABLE annual_report_figures ADD COLUMN licensing_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN licensing_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN other_services_decisions BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN punishment_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN punishment_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN coercive_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN coercive_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN fee_items BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN fee_change BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN procurement_projects BIGINT NOT NULL DEFAULT 0;
ALTER TABLE annual_report_figures ADD COLUMN procurement_fen BIGINT NOT NULL DEFAULT 0;
